"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { type InsightFilters, PAGE_SIZES, type PageSize } from "@/lib/insight-table/filters";
import { cn } from "@/lib/utils";
import { insightTableHref } from "@/lib/insight-table/table-href";

export function TablePagination({
  filters,
  page,
  pageCount,
  total,
}: {
  filters: InsightFilters;
  page: number;
  pageCount: number;
  total: number;
}) {
  const router = useRouter();
  const first = (page - 1) * filters.pageSize + 1;
  const last = Math.min(page * filters.pageSize, total);
  const links = [
    { label: "First", to: 1 },
    { label: "Previous", to: page - 1 },
    { label: "Next", to: page + 1 },
    { label: "Last", to: pageCount },
  ];

  return (
    <nav aria-label="Pages" className="flex flex-wrap items-center justify-between gap-3 text-sm">
      <p className="text-muted-foreground">
        {first.toLocaleString("en-US")}–{last.toLocaleString("en-US")} of {total.toLocaleString("en-US")} ·
        page {page.toLocaleString("en-US")} of {pageCount.toLocaleString("en-US")}
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
        {links.map(({ label, to }) => {
          const disabled = to < 1 || to > pageCount || to === page;
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
              href={insightTableHref({ ...filters, page: to })}
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
