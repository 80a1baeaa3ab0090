import { SeverityBadge } from "@/components/insights/severity-badge";
import { Table, TableCell, TableRow, TableRowHead } from "@/components/ui/table";
import { formatUtcMinute } from "@/lib/insight-table/display-dates";
import type { HistoryRun } from "@/lib/insight-table/history-runs";
import { KEY_HISTORY_LIMIT } from "@/lib/insight-table/key-detail";
import { reasonLabel } from "@/lib/verdict/types";
import { Section } from "./section";

function when(run: HistoryRun): string {
  const from = formatUtcMinute(run.from);
  return run.scans === 1 ? from : `from ${from} to ${formatUtcMinute(run.to)}`;
}

/** The finding's changes: consecutive scans that judged the key alike make one row. */
export function FindingHistoryTable({ history, cut }: { history: HistoryRun[]; cut: boolean }) {
  return (
    <Section id="history-heading" title="Finding history">
      {history.length === 0 ? (
        <p className="text-sm text-muted-foreground">No scan has recorded a finding for this key yet.</p>
      ) : (
        <Table
          bare
          caption={
            <>
              How scans judged this key, newest first; scans in a row that judged it alike are one line
              {cut ? ` (the last ${KEY_HISTORY_LIMIT} scans)` : ""}.
            </>
          }
          captionLook="note"
          columns={["When", "Scans", "Severity", "Reason"]}
          data-testid="finding-history"
        >
          {history.map((run) => (
            <TableRow key={run.to.toISOString()}>
              <TableRowHead>{when(run)}</TableRowHead>
              <TableCell>
                {run.scans} scan{run.scans === 1 ? "" : "s"}
              </TableCell>
              <TableCell>
                <SeverityBadge severity={run.severity} />
              </TableCell>
              <TableCell title={run.reason}>{reasonLabel(run.reason)}</TableCell>
            </TableRow>
          ))}
        </Table>
      )}
    </Section>
  );
}
