import Link from "next/link";
import { accountsHref, type AccountFilters } from "@/lib/accounts/filters";

const linkClass =
  "rounded-md border border-border bg-card px-3 py-1.5 hover:bg-muted focus-visible:outline-2 focus-visible:outline-primary";

/** Real links (keyboard and middle-click work), each keeping the filters and the page size. */
export function AccountPagination({
  filters,
  page,
  pageCount,
}: {
  filters: AccountFilters;
  page: number;
  pageCount: number;
}) {
  if (pageCount <= 1) return null;
  const href = (p: number) => accountsHref({ ...filters, page: p });
  return (
    <nav aria-label="Account pages" className="flex flex-wrap items-center gap-2 text-sm">
      {page > 1 ? (
        <>
          <Link href={href(1)} className={linkClass} aria-label="First page">
            « First
          </Link>
          <Link href={href(page - 1)} className={linkClass} rel="prev">
            Previous
          </Link>
        </>
      ) : null}
      <span aria-current="page" className="px-1">
        Page {page} of {pageCount}
      </span>
      {page < pageCount ? (
        <>
          <Link href={href(page + 1)} className={linkClass} rel="next">
            Next
          </Link>
          <Link href={href(pageCount)} className={linkClass} aria-label="Last page">
            Last »
          </Link>
        </>
      ) : null}
    </nav>
  );
}
