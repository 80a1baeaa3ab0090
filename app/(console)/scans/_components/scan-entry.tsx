import { ScanStatusBadge } from "@/components/scans/scan-status-badge";
import { formatDuration, formatUtcMinute } from "@/lib/insight-table/display-dates";
import type { ScanHistoryEntry } from "@/lib/scans/history";

/** One scan and its account-regions. */
export function ScanEntry({ scan }: { scan: ScanHistoryEntry }) {
  const headingId = `scan-${scan.id}`;
  const failed = scan.targets.filter((t) => t.status === "FAILED").length;
  const duration = scan.finishedAt
    ? formatDuration(scan.finishedAt.getTime() - scan.startedAt.getTime())
    : "";
  return (
    <section aria-labelledby={headingId} className="rounded-lg border border-border bg-white p-5 shadow-sm">
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
      {scan.error && <p className="mt-2 text-sm break-words text-critical">{scan.error}</p>}
      {scan.targets.length > 0 && (
        <div className="mt-3 overflow-x-auto">
          <table className="w-full text-sm">
            <caption className="sr-only">
              Account-regions of the scan of {formatUtcMinute(scan.startedAt)}
            </caption>
            <thead className="text-left text-xs text-muted-foreground">
              <tr className="border-b border-border">
                <th scope="col" className="py-1.5 pr-4 font-medium">
                  Account
                </th>
                <th scope="col" className="py-1.5 pr-4 font-medium">
                  Region
                </th>
                <th scope="col" className="py-1.5 pr-4 font-medium">
                  Status
                </th>
                <th scope="col" className="py-1.5 pr-4 text-right font-medium">
                  Keys
                </th>
                <th scope="col" className="py-1.5 pr-4 text-right font-medium">
                  Key errors
                </th>
                <th scope="col" className="py-1.5 pr-4 text-right font-medium">
                  API calls
                </th>
                <th scope="col" className="py-1.5 pr-4 text-right font-medium">
                  Duration
                </th>
                <th scope="col" className="py-1.5 font-medium">
                  Error
                </th>
              </tr>
            </thead>
            <tbody>
              {scan.targets.map((t) => (
                <tr
                  key={`${t.accountId}/${t.region}`}
                  className="border-b border-border align-top last:border-0"
                >
                  <th scope="row" className="py-1.5 pr-4 text-left font-normal">
                    {t.accountName} <span className="text-xs text-muted-foreground">{t.accountId}</span>
                  </th>
                  <td className="py-1.5 pr-4">{t.region}</td>
                  <td className="py-1.5 pr-4">
                    <ScanStatusBadge status={t.status} />
                  </td>
                  <td className="py-1.5 pr-4 text-right tabular-nums">{t.keysSeen}</td>
                  <td className="py-1.5 pr-4 text-right tabular-nums">{t.keyErrors}</td>
                  <td className="py-1.5 pr-4 text-right tabular-nums">{t.callsMade}</td>
                  <td className="py-1.5 pr-4 text-right tabular-nums">{formatDuration(t.durationMs)}</td>
                  <td className="max-w-md py-1.5 break-words text-muted-foreground">{t.error}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
