import { X } from "lucide-react";
import Link from "next/link";
import type { FilterChip } from "@/lib/insight-table/filter-chips";

/** The active filters, each a link to the view without it, and one to the view without any. */
export function FilterChips({ chips, clearHref }: { chips: FilterChip[]; clearHref: string }) {
  if (chips.length === 0) return null;
  return (
    <div className="flex flex-wrap items-center gap-2" data-testid="filter-chips">
      <span className="sr-only">Active filters:</span>
      <ul className="flex flex-wrap items-center gap-2">
        {chips.map((chip) => (
          <li key={chip.param} className="min-w-0">
            <Link
              href={chip.href}
              scroll={false}
              aria-label={`Remove filter ${chip.text}`}
              title={`Remove filter ${chip.text}`}
              className="inline-flex max-w-md items-center gap-1 rounded-full border border-border bg-muted px-2.5 py-0.5 text-xs text-foreground hover:border-primary hover:text-primary focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-primary/50"
            >
              <span className="truncate">{chip.text}</span>
              <X className="h-3 w-3 shrink-0" aria-hidden />
            </Link>
          </li>
        ))}
      </ul>
      <Link
        href={clearHref}
        scroll={false}
        className="text-xs text-primary underline-offset-4 hover:underline"
      >
        Clear all
      </Link>
    </div>
  );
}
