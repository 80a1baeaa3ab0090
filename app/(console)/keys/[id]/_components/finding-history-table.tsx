import { SeverityBadge } from "@/components/insights/severity-badge";
import { formatUtcMinute } from "@/lib/insight-table/display-dates";
import { KEY_HISTORY_LIMIT, type FindingHistoryEntry } from "@/lib/insight-table/key-detail";
import { Section } from "./section";

export function FindingHistoryTable({ history }: { history: FindingHistoryEntry[] }) {
  return (
    <Section id="history-heading" title="Finding history">
      {history.length === 0 ? (
        <p className="text-sm text-muted-foreground">No scan has recorded a finding for this key yet.</p>
      ) : (
        <table className="w-full text-sm">
          <caption className="mb-2 text-left text-xs text-muted-foreground">
            The finding at each scan, newest first
            {history.length === KEY_HISTORY_LIMIT ? ` (the last ${KEY_HISTORY_LIMIT})` : ""}.
          </caption>
          <thead className="text-left text-xs text-muted-foreground">
            <tr className="border-b border-border">
              <th scope="col" className="py-1.5 pr-4 font-medium">
                Scan started
              </th>
              <th scope="col" className="py-1.5 pr-4 font-medium">
                Severity
              </th>
              <th scope="col" className="py-1.5 pr-4 font-medium">
                Reason
              </th>
              <th scope="col" className="py-1.5 font-medium">
                Evaluated
              </th>
            </tr>
          </thead>
          <tbody>
            {history.map((h) => (
              <tr key={h.scanId} className="border-b border-border last:border-0">
                <th scope="row" className="py-1.5 pr-4 text-left font-normal">
                  {h.scanStartedAt ? (
                    formatUtcMinute(h.scanStartedAt)
                  ) : (
                    <span className="text-muted-foreground">deleted scan</span>
                  )}
                </th>
                <td className="py-1.5 pr-4">
                  <SeverityBadge severity={h.severity} />
                </td>
                <td className="py-1.5 pr-4">
                  <code className="text-xs">{h.reason}</code>
                </td>
                <td className="py-1.5">{formatUtcMinute(h.evaluatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Section>
  );
}
