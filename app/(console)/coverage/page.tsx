import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/shell/page-header";
import { Alert } from "@/components/ui/alert";
import { requirePageUser } from "@/lib/auth/session";
import { coverageHref, parseCoverageFilters } from "@/lib/coverage/filters";
import { fetchCoveragePage } from "@/lib/coverage/query";
import { COVERAGE_STATE_HELP, COVERAGE_STATE_LABELS, COVERAGE_STATES } from "@/lib/coverage/states";
import { prisma } from "@/lib/db";
import { fetchFilterOptions } from "@/lib/insight-table/query";
import { CoverageFilterForm, CoverageStateLinks } from "./_components/coverage-filters";
import { CoverageTable } from "./_components/coverage-table";

export const metadata: Metadata = { title: "Coverage" };

export default async function CoveragePage(props: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requirePageUser();
  const { filters, notices } = parseCoverageFilters(await props.searchParams);
  const [page, options] = await Promise.all([
    fetchCoveragePage(prisma, filters, user.accountScope),
    fetchFilterOptions(prisma, user.accountScope),
  ]);
  const { summary } = page;
  return (
    <div className="flex flex-col gap-4">
      <PageHeader
        title="Coverage"
        description="Every account and region the console should scan, and whether it did: an account-region that was never scanned, or refused, is listed here, never taken for one without findings."
        actions={
          <a
            href={coverageHref(filters, "/coverage/export.csv")}
            className="whitespace-nowrap rounded-md border border-border bg-card px-3 py-2 text-sm hover:bg-muted"
            download
          >
            Export CSV
          </a>
        }
      />
      <p className="text-lg font-semibold" data-testid="coverage-summary">
        {summary.text}
        {user.accountScope ? " (your accounts)" : ""}.
      </p>
      <CoverageStateLinks filters={filters} counts={summary.counts} />
      <CoverageFilterForm filters={filters} options={options} />
      {notices.length > 0 && (
        <Alert tone="warning">
          <p className="font-medium">Some of the link&apos;s parameters were ignored:</p>
          <ul className="mt-1 list-disc pl-5">
            {notices.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        </Alert>
      )}
      <p className="text-sm text-muted-foreground" data-testid="coverage-total">
        {page.total === 1 ? "1 account-region" : `${page.total.toLocaleString("en-US")} account-regions`}
      </p>
      <CoverageTable rows={page.rows} />
      {page.pageCount > 1 && (
        <nav aria-label="Pages" className="flex items-center gap-3 text-sm">
          {page.page > 1 && (
            <Link href={coverageHref({ ...filters, page: page.page - 1 })} className="text-primary underline">
              Previous
            </Link>
          )}
          <span>
            Page {page.page} of {page.pageCount}
          </span>
          {page.page < page.pageCount && (
            <Link href={coverageHref({ ...filters, page: page.page + 1 })} className="text-primary underline">
              Next
            </Link>
          )}
        </nav>
      )}
      <details className="text-sm">
        <summary className="cursor-pointer font-medium">What each state means</summary>
        <dl className="mt-2 grid gap-x-4 gap-y-1 sm:grid-cols-[max-content_1fr]">
          {COVERAGE_STATES.map((s) => (
            <div key={s} className="contents">
              <dt className="font-medium">{COVERAGE_STATE_LABELS[s]}</dt>
              <dd className="text-muted-foreground">{COVERAGE_STATE_HELP[s]}</dd>
            </div>
          ))}
        </dl>
      </details>
    </div>
  );
}
