import Link from "next/link";
import { toAuditSearchParams, type AuditFilters } from "@/lib/audit/filters";

const linkClass = "rounded-md border border-border bg-card px-3 py-1.5 hover:bg-muted";

export function AuditPagination({
  filters,
  page,
  pageCount,
}: {
  filters: AuditFilters;
  page: number;
  pageCount: number;
}) {
  if (pageCount <= 1) return null;
  const href = (p: number) => {
    const query = toAuditSearchParams({ ...filters, page: p }).toString();
    return query ? `/audit?${query}` : "/audit";
  };
  return (
    <nav aria-label="Audit log pages" className="flex items-center gap-3 text-sm">
      {page > 1 ? (
        <Link href={href(page - 1)} className={linkClass}>
          Newer entries
        </Link>
      ) : null}
      <span aria-current="page">
        Page {page} of {pageCount}
      </span>
      {page < pageCount ? (
        <Link href={href(page + 1)} className={linkClass}>
          Older entries
        </Link>
      ) : null}
    </nav>
  );
}
