import Link from "next/link";

const linkClass = "rounded-md border border-border bg-card px-3 py-1.5 hover:bg-muted";

export function ScanPagination({ page, pageCount }: { page: number; pageCount: number }) {
  if (pageCount <= 1) return null;
  return (
    <nav aria-label="Scan history pages" className="flex items-center gap-3 text-sm">
      {page > 1 && (
        <Link href={`/scans?page=${page - 1}`} className={linkClass}>
          Newer scans
        </Link>
      )}
      <span aria-current="page">
        Page {page} of {pageCount}
      </span>
      {page < pageCount && (
        <Link href={`/scans?page=${page + 1}`} className={linkClass}>
          Older scans
        </Link>
      )}
    </nav>
  );
}
