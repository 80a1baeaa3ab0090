import Link from "next/link";
import { ScanStatusBadge } from "@/components/scans/scan-status-badge";
import { Table, TableCell, TableRow, TableRowHead } from "@/components/ui/table";
import { formatDuration, formatUtcMinute } from "@/lib/insight-table/display-dates";
import { insightTableHref, keyHref } from "@/lib/insight-table/table-href";
import type { ScanHistoryEntry } from "@/lib/scans/history";
import { targetKey, type KeyWithError } from "@/lib/scans/key-errors";
import { added, removed } from "@/lib/triage/delta-sign";
import { SEVERITIES } from "@/lib/verdict/types";

const linkClass = "text-primary underline-offset-4 hover:underline";

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

/** The keys an account-region read with errors, each linked to its page (the first few). */
function KeyErrorList({ keys, total }: { keys: KeyWithError[]; total: number }) {
  if (keys.length === 0) return null;
  return (
    <ul className="mt-1 flex flex-col gap-1" aria-label="Keys read with errors">
      {keys.map((k) => (
        <li key={k.id} className="line-clamp-2 break-words" title={k.error}>
          <Link href={keyHref(k.id)} className={linkClass}>
            {k.alias ?? k.keyId}
          </Link>
          : {k.error}
        </li>
      ))}
      {total > keys.length && <li>and {total - keys.length} more</li>}
    </ul>
  );
}

/** One scan and its account-regions. */
export function ScanEntry({
  scan,
  keysWithErrors,
}: {
  scan: ScanHistoryEntry;
  /** Keys read with errors, by targetKey(scan, account, region). */
  keysWithErrors: Map<string, KeyWithError[]>;
}) {
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
          Findings: {added(scan.delta.new)} new, {removed(scan.delta.resolved)} resolved,{" "}
          {scan.delta.reopened} reopened, {scan.delta.stillFailing} still failing
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
              <TableCell className="whitespace-nowrap">{t.region}</TableCell>
              <TableCell>
                <ScanStatusBadge status={t.status} />
              </TableCell>
              <TableCell numeric>{t.keysSeen}</TableCell>
              <TableCell numeric>
                {t.keyErrors > 0 ? (
                  <Link
                    href={insightTableHref({
                      accounts: [t.accountId],
                      regions: [t.region],
                      severities: [...SEVERITIES],
                    })}
                    className={linkClass}
                  >
                    {t.keyErrors}
                    <span className="sr-only">
                      {" "}
                      keys read with errors: the keys of {t.accountName} in {t.region}
                    </span>
                  </Link>
                ) : (
                  0
                )}
              </TableCell>
              <TableCell numeric>{t.callsMade}</TableCell>
              <TableCell numeric>{formatDuration(t.durationMs)}</TableCell>
              <TableCell className="max-w-md break-words text-muted-foreground">
                {t.error}
                <KeyErrorList
                  keys={keysWithErrors.get(targetKey(scan.id, t.accountId, t.region)) ?? []}
                  total={t.keyErrors}
                />
              </TableCell>
            </TableRow>
          ))}
        </Table>
      )}
    </section>
  );
}
