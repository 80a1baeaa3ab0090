import { ScanStatusBadge } from "@/components/scans/scan-status-badge";
import { Table, TableCell, TableRow, TableRowHead } from "@/components/ui/table";
import { formatDuration, formatUtcMinute } from "@/lib/insight-table/display-dates";
import type { ScanHistoryEntry } from "@/lib/scans/history";

const HEADERS = [
  "Account",
  "Region",
  "Status",
  { label: "Keys", numeric: true },
  { label: "Key errors", numeric: true },
  { label: "API calls", numeric: true },
  { label: "Duration", numeric: true },
  "Error",
];

/** One scan and its account-regions. */
export function ScanEntry({ scan }: { scan: ScanHistoryEntry }) {
  const headingId = `scan-${scan.id}`;
  const failed = scan.targets.filter((t) => t.status === "FAILED").length;
  const duration = scan.finishedAt
    ? formatDuration(scan.finishedAt.getTime() - scan.startedAt.getTime())
    : "";
  return (
    <section aria-labelledby={headingId} className="rounded-lg border border-border bg-card p-5 shadow-sm">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <h2 id={headingId} className="text-base font-semibold">
          Scan of {formatUtcMinute(scan.startedAt)}
        </h2>
        <ScanStatusBadge status={scan.status} />
        <span className="text-sm text-muted-foreground">
          started by {scan.startedBy}
          {duration ? ` · ${duration}` : scan.finishedAt ? "" : " · not finished"}
          {` · ${scan.targets.length} account-region${scan.targets.length === 1 ? "" : "s"}`}
          {failed ? `, ${failed} failed` : ""}
        </span>
      </div>
      {scan.delta && (
        <p className="mt-2 text-sm" data-testid="scan-delta">
          Findings: +{scan.delta.new} new, −{scan.delta.resolved} resolved, {scan.delta.reopened} reopened,{" "}
          {scan.delta.stillFailing} still failing
        </p>
      )}
      {scan.error && <p className="mt-2 text-sm break-words text-critical">{scan.error}</p>}
      {scan.targets.length > 0 && (
        <Table
          bare
          className="mt-3"
          caption={`Account-regions of the scan of ${formatUtcMinute(scan.startedAt)}`}
          columns={HEADERS}
        >
          {scan.targets.map((t) => (
            <TableRow key={`${t.accountId}/${t.region}`}>
              <TableRowHead>
                {t.accountName} <span className="text-xs text-muted-foreground">{t.accountId}</span>
              </TableRowHead>
              <TableCell>{t.region}</TableCell>
              <TableCell>
                <ScanStatusBadge status={t.status} />
              </TableCell>
              <TableCell numeric>{t.keysSeen}</TableCell>
              <TableCell numeric>{t.keyErrors}</TableCell>
              <TableCell numeric>{t.callsMade}</TableCell>
              <TableCell numeric>{formatDuration(t.durationMs)}</TableCell>
              <TableCell className="max-w-md break-words text-muted-foreground">{t.error}</TableCell>
            </TableRow>
          ))}
        </Table>
      )}
    </section>
  );
}
