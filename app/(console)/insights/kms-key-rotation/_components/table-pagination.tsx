"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { type InsightFilters, PAGE_SIZES, type PageSize } from "@/lib/insight-table/filters";
import { cn } from "@/lib/utils";
import { SEARCH_COUNT_CAP, totalText } from "@/lib/insight-table/search-cap";
import { insightTableHref } from "@/lib/insight-table/table-href";

export function TablePagination({
  filters,
  page,
  pageCount,
  total,
  capped,
  nextAfter,
  rowCount,
}: {
  filters: InsightFilters;
  page: number;
  pageCount: number;
  total: number;
  /** A capped search: `total` is a lower bound, the last page is not known. */
  capped: boolean;
  /** A capped search's next page starts after this cursor (null on the last page). */
  nextAfter: string | null;
  /** The rows on this page. */
  rowCount: number;
}) {
  const router = useRouter();
  const first = (page - 1) * filters.pageSize + 1;
  const last = capped ? first + rowCount - 1 : Math.min(page * filters.pageSize, total);
  // A capped search's pages go forward by cursor (each walks on from the last row shown); back by
  // page number only as far as the counted matches reach, where the walk from the start is short.
  const links: { label: string; to: number; after?: string | null; disabled?: boolean }[] = capped
    ? [
        { label: "First", to: 1 },
        { label: "Previous", to: page - 1, disabled: (page - 2) * filters.pageSize >= SEARCH_COUNT_CAP },
        { label: "Next", to: page + 1, after: nextAfter, disabled: nextAfter === null },
      ]
    : [
        { label: "First", to: 1 },
        { label: "Previous", to: page - 1 },
        { label: "Next", to: page + 1 },
        { label: "Last", to: pageCount },
      ];

  return (
    <nav aria-label="Pages" className="flex flex-wrap items-center justify-between gap-3 text-sm">
      <p className="text-muted-foreground">
        {first.toLocaleString("en-US")}–{last.toLocaleString("en-US")} of {totalText(total, capped)} · page{" "}
        {page.toLocaleString("en-US")}
        {capped ? "" : ` of ${pageCount.toLocaleString("en-US")}`}
      </p>
      <div className="flex flex-wrap items-center gap-2">
        <label htmlFor="insight-page-size" className="text-muted-foreground">
          Rows per page
        </label>
        <Select
          value={String(filters.pageSize)}
          onValueChange={(size) =>
            router.push(insightTableHref({ ...filters, pageSize: Number(size) as PageSize, page: 1 }), {
              scroll: false,
            })
          }
        >
          <SelectTrigger id="insight-page-size" className="h-8 w-20">
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            {PAGE_SIZES.map((size) => (
              <SelectItem key={size} value={String(size)}>
                {size}
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
        {links.map(({ label, to, after = null, disabled: unavailable = false }) => {
          const disabled = unavailable || to < 1 || to > pageCount || to === page;
          const className = cn(
            "rounded-md border border-border px-2.5 py-1",
            disabled ? "pointer-events-none text-muted-foreground opacity-50" : "hover:bg-muted",
          );
          return disabled ? (
            <span key={label} aria-disabled="true" aria-label={`${label} page`} className={className}>
              {label}
            </span>
          ) : (
            <Link
              key={label}
              href={insightTableHref({ ...filters, page: to, after })}
              scroll={false}
              aria-label={`${label} page`}
              className={className}
            >
              {label}
            </Link>
          );
        })}
      </div>
    </nav>
  );
}
