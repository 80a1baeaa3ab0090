import { SeverityBadge } from "@/components/insights/severity-badge";
import { Table, TableCell, TableRow, TableRowHead } from "@/components/ui/table";
import { formatUtcMinute } from "@/lib/insights/display-dates";
import { KEY_HISTORY_LIMIT, type FindingHistoryEntry } from "@/lib/insights/key-detail";
import { Section } from "./section";

export function FindingHistoryTable({ history }: { history: FindingHistoryEntry[] }) {
  return (
    <Section id="history-heading" title="Finding history">
      {history.length === 0 ? (
        <p className="text-sm text-muted-foreground">No scan has recorded a finding for this key yet.</p>
      ) : (
        <Table
          bare
          caption={
            <>
              The finding at each scan, newest first
              {history.length === KEY_HISTORY_LIMIT ? ` (the last ${KEY_HISTORY_LIMIT})` : ""}.
            </>
          }
          captionLook="note"
          columns={["Scan started", "Severity", "Reason", "Evaluated"]}
        >
          {history.map((h) => (
            <TableRow key={h.scanId}>
              <TableRowHead>
                {h.scanStartedAt ? (
                  formatUtcMinute(h.scanStartedAt)
                ) : (
                  <span className="text-muted-foreground">deleted scan</span>
                )}
              </TableRowHead>
              <TableCell>
                <SeverityBadge severity={h.severity} />
              </TableCell>
              <TableCell>
                <code className="text-xs">{h.reason}</code>
              </TableCell>
              <TableCell>{formatUtcMinute(h.evaluatedAt)}</TableCell>
            </TableRow>
          ))}
        </Table>
      )}
    </Section>
  );
}
