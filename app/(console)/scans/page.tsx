import type { Metadata } from "next";
import { LiveScanProgress } from "@/components/scans/live-scan-progress";
import { ScanNowButton } from "@/components/scans/scan-now-button";
import { PageHeader } from "@/components/shell/page-header";
import { ScanDeltaLine } from "@/components/triage/scan-delta-line";
import { Alert } from "@/components/ui/alert";
import { requirePageUser } from "@/lib/auth/session";
import { prisma } from "@/lib/db";
import { fetchScanHistory } from "@/lib/scans/history";
import { fetchKeysWithErrors } from "@/lib/scans/key-errors";
import { parsePageParam } from "@/lib/scans/page-param";
import { fetchScanProgress } from "@/lib/scans/progress";
import { toProgressJson } from "@/lib/scans/progress-wire";
import { fetchLatestDelta } from "@/lib/triage/scan-delta";
import { scanNowAction } from "./actions";
import { ScanEntry } from "./_components/scan-entry";
import { ScanPagination } from "./_components/scan-pagination";

export const metadata: Metadata = { title: "Scans" };

export default async function ScansPage(props: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requirePageUser();
  const requested = parsePageParam((await props.searchParams).page);
  const [history, latestDelta, progress] = await Promise.all([
    fetchScanHistory(prisma, { page: requested.page }, user),
    fetchLatestDelta(prisma, user.accountScope),
    fetchScanProgress(prisma, user.accountScope),
  ]);
  const keysWithErrors = await fetchKeysWithErrors(
    prisma,
    history.scans.filter((s) => s.targets.some((t) => t.keyErrors > 0)).map((s) => s.id),
    user.accountScope,
  );
  const outOfRange = requested.ignored === null && history.page !== requested.page;
  return (
    <div className="flex flex-col gap-4">
      <PageHeader
        title="Scans"
        description={
          <>
            Every scan, newest first, with the status and errors of each account-region
            {user.accountScope ? " that you can see" : ""}.
          </>
        }
        actions={user.role === "admin" ? <ScanNowButton action={scanNowAction} /> : undefined}
      />
      <LiveScanProgress initial={progress && toProgressJson(progress)} />
      {requested.ignored !== null && (
        <Alert tone="warning">
          Ignored page &ldquo;{requested.ignored.slice(0, 40)}&rdquo;: a page is a whole number from 1.
          Showing page 1.
        </Alert>
      )}
      {outOfRange && (
        <Alert tone="warning">
          There is no page {requested.page}; showing the last page, {history.page}.
        </Alert>
      )}
      {history.total === 0 ? (
        <p className="text-sm text-muted-foreground">
          {user.accountScope ? "No scan of your accounts yet." : "No scan has run yet."}
        </p>
      ) : (
        <>
          <ScanDeltaLine delta={latestDelta} />
          <p className="text-sm text-muted-foreground">
            {history.total} scan{history.total === 1 ? "" : "s"} in all.
          </p>
          {history.scans.map((scan) => (
            <ScanEntry key={scan.id} scan={scan} keysWithErrors={keysWithErrors} />
          ))}
          <ScanPagination page={history.page} pageCount={history.pageCount} />
        </>
      )}
    </div>
  );
}
