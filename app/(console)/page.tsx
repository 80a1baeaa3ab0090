import type { Metadata } from "next";
import { LiveScanProgress } from "@/components/scans/live-scan-progress";
import { PageHeader } from "@/components/shell/page-header";
import { ScanDeltaLine } from "@/components/triage/scan-delta-line";
import { requirePageUser } from "@/lib/auth/session";
import { prisma } from "@/lib/db";
import { fetchCoverageSummary } from "@/lib/coverage/query";
import { EMPTY_COVERAGE_FILTERS } from "@/lib/coverage/filters";
import { fetchOverview } from "@/lib/insight-table/overview";
import { fetchScanProgress } from "@/lib/scans/progress";
import { toProgressJson } from "@/lib/scans/progress-wire";
import { CoverageCard } from "./_components/coverage-card";
import { DeltaTrendCard } from "./_components/delta-trend-card";
import { ExpiringExceptionsCard } from "./_components/expiring-exceptions-card";
import { LastScanCard } from "./_components/last-scan-card";
import { OpenFindingsCard } from "./_components/open-findings-card";
import { OverviewEmptyState } from "./_components/overview-empty-state";
import { SeverityCards } from "./_components/severity-cards";
import { SeverityCountsTable } from "./_components/severity-counts-table";
import { SeverityTrendCard } from "./_components/severity-trend-card";
import { StaleRegionsAlert } from "./_components/stale-regions-alert";
import { WorstAccountsCard } from "./_components/worst-accounts-card";

export const metadata: Metadata = { title: "Overview" };

export default async function OverviewPage() {
  const user = await requirePageUser();
  const [overview, progress, coverage] = await Promise.all([
    fetchOverview(prisma, user.accountScope),
    fetchScanProgress(prisma, user.accountScope),
    fetchCoverageSummary(prisma, EMPTY_COVERAGE_FILTERS, user.accountScope),
  ]);
  const accountWord = overview.accountCount === 1 ? "account" : "accounts";
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title="Overview"
        description={
          <>
            KMS key rotation across {overview.accountCount} AWS {accountWord}
            {user.accountScope ? " that you can see" : ""}.
          </>
        }
      />
      {overview.accountCount === 0 ? (
        <OverviewEmptyState
          reason={user.accountScope ? "no-scope" : "no-accounts"}
          isAdmin={user.role === "admin"}
        />
      ) : (
        <>
          <LiveScanProgress initial={progress && toProgressJson(progress)} />
          {!overview.lastScan && <OverviewEmptyState reason="no-scan" isAdmin={user.role === "admin"} />}
          <StaleRegionsAlert stale={overview.stale} />
          <CoverageCard summary={coverage} />
          <ScanDeltaLine delta={overview.triage.latestDelta} />
          <SeverityCards
            totals={overview.totals}
            totalKeys={overview.totalKeys}
            excepted={overview.excepted}
          />
          <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
            <WorstAccountsCard accounts={overview.worstAccounts} />
            <OpenFindingsCard
              ages={overview.triage.ages}
              excepted={overview.excepted}
              timeToResolve={overview.triage.timeToResolve}
            />
          </div>
          <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
            <SeverityTrendCard trend={overview.trend} />
            <DeltaTrendCard trend={overview.triage.deltaTrend} />
          </div>
          <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
            <ExpiringExceptionsCard expiring={overview.triage.expiring} />
            {overview.lastScan && <LastScanCard scan={overview.lastScan} />}
          </div>
          <div className="grid grid-cols-1 gap-6 xl:grid-cols-2">
            <SeverityCountsTable
              caption="Keys by account"
              rowHeader="Account"
              rows={overview.accounts.map((a) => ({
                key: a.id,
                label: a.name,
                detail: a.id,
                filter: { accounts: [a.id] },
                counts: a.counts,
                total: a.total,
              }))}
            />
            <SeverityCountsTable
              caption="Keys by region"
              rowHeader="Region"
              rows={overview.regions.map((r) => ({
                key: r.region,
                label: r.region,
                filter: { regions: [r.region] },
                counts: r.counts,
                total: r.total,
              }))}
            />
          </div>
        </>
      )}
    </div>
  );
}
