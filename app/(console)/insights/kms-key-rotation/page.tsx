import type { Metadata } from "next";
import { Suspense } from "react";
import { Alert } from "@/components/ui/alert";
import { requirePageUser } from "@/lib/auth/session";
import { prisma } from "@/lib/db";
import { filterChips } from "@/lib/insight-table/filter-chips";
import { parseInsightFilters, toSearchParams } from "@/lib/insight-table/filters";
import { formatUtcMinute } from "@/lib/insight-table/display-dates";
import { fetchFilterCounts } from "@/lib/insight-table/facets";
import { fetchFilterOptions, fetchTagKeys } from "@/lib/insight-table/query";
import { clearedInsightTableHref } from "@/lib/insight-table/table-href";
import { viewQueryOf } from "@/lib/saved-views/query";
import { fetchRecentScans } from "@/lib/scans/recent-scans";
import { getSettings } from "@/lib/settings";
import { ComplianceMappings } from "./_components/compliance-mappings";
import { FilterBar } from "./_components/filter-bar";
import { FilterChips } from "./_components/filter-chips";
import { InsightIntro } from "./_components/insight-intro";
import { InsightTable } from "./_components/insight-table";
import { SaveViewPopover } from "./_components/save-view-popover";
import { TableSkeleton } from "./_components/table-skeleton";

export const metadata: Metadata = { title: "KMS key rotation" };

/** How many earlier scans the change filter offers to count from. */
const SINCE_SCANS = 10;

export default async function KmsKeyRotationPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requirePageUser();
  const { filters, notices } = parseInsightFilters(await searchParams);
  const scope = user.accountScope;
  const [options, tagKeys, recentScans, settings] = await Promise.all([
    fetchFilterOptions(prisma, scope),
    fetchTagKeys(prisma, scope),
    fetchRecentScans(prisma, scope, SINCE_SCANS + 1),
    getSettings(prisma),
  ]);
  // The latest scan is left out: nothing changed after it started.
  const scans = recentScans.slice(1).map((scan) => ({
    id: scan.id,
    label: `Scan of ${formatUtcMinute(scan.startedAt)}`,
  }));
  const chips = filterChips(filters, {
    accounts: new Map(options.accounts.map((a) => [a.id, a.name])),
    ous: new Map(options.ous.map((o) => [o.id, o.path])),
    scans: new Map(recentScans.map((s) => [s.id, `the scan of ${formatUtcMinute(s.startedAt)}`])),
  });

  return (
    <div className="space-y-3">
      <InsightIntro
        slaDays={{ CRITICAL: settings["sla.criticalDays"], WARNING: settings["sla.warningDays"] }}
      />
      <section aria-labelledby="keys-heading" className="space-y-3">
        {/* The table comes first on the screen: its heading is for screen readers. */}
        <h2 id="keys-heading" className="sr-only">
          Keys
        </h2>
        <FilterBar
          filters={filters}
          choices={{ ...options, tagKeys, scans }}
          counts={fetchFilterCounts(prisma, filters, scope)}
        />
        <div className="flex flex-wrap items-start justify-between gap-2">
          <FilterChips chips={chips} clearHref={clearedInsightTableHref(filters)} />
          <SaveViewPopover query={viewQueryOf(filters)} />
        </div>
        {notices.length > 0 && (
          <Alert tone="warning">
            <p className="font-medium">Some of the link&apos;s parameters were ignored:</p>
            <ul className="mt-1 list-disc pl-5">
              {notices.map((notice, i) => (
                <li key={i}>{notice}</li>
              ))}
            </ul>
          </Alert>
        )}
        <Suspense key={toSearchParams(filters).toString()} fallback={<TableSkeleton />}>
          <InsightTable
            filters={filters}
            scope={scope}
            isAdmin={user.role === "admin"}
            canExcept={user.role === "admin" || user.role === "analyst"}
            maxRotationDays={settings["policy.maxRotationDays"]}
          />
        </Suspense>
      </section>
      <div className="pt-6">
        <ComplianceMappings />
      </div>
    </div>
  );
}
