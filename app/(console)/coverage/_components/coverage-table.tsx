import { CoverageStateBadge } from "@/components/coverage/coverage-state-badge";
import { CopyButton } from "@/components/ui/copy-button";
import { Table, TableCell, TableEmptyRow, TableRow, TableRowHead } from "@/components/ui/table";
import type { CoverageRow } from "@/lib/coverage/query";
import { NO_REGION } from "@/lib/coverage/states";
import { formatUtcMinute } from "@/lib/insight-table/display-dates";

const COLUMNS = ["Account", "Region", "State", "Detail"] as const;

const plural = (n: number, word: string) => `${n.toLocaleString("en-US")} ${word}${n === 1 ? "" : "s"}`;

function Detail({ row }: { row: CoverageRow }) {
  switch (row.state) {
    case "SCANNED":
    case "STALE":
      return (
        <p>
          Listed {formatUtcMinute(row.lastSuccessAt) || "never"}
          {row.keyCount !== null ? `: ${plural(row.keyCount, "key")}` : ""}.
        </p>
      );
    case "NOT_SCANNED_YET":
      return <p>No scan has reached this account-region yet.</p>;
    case "REGION_NOT_ENABLED":
      return (
        <p>
          The region is {row.optInStatus?.toLowerCase() ?? "not enabled"} in this account (opt-in region).
        </p>
      );
    case "EXCLUDED":
      return <p>{row.excluded}</p>;
    default:
      return <FailureDetail row={row} />;
  }
}

function FailureDetail({ row }: { row: CoverageRow }) {
  return (
    <div className="flex flex-col gap-2">
      <p>
        {row.errorCall ? <code className="font-semibold">{row.errorCall}</code> : "The attempt"} failed
        {row.errorCode ? (
          <>
            {" "}
            with <code>{row.errorCode}</code>
          </>
        ) : null}{" "}
        at {formatUtcMinute(row.lastAttemptAt)}
        {row.lastSuccessAt ? `; keys shown are from ${formatUtcMinute(row.lastSuccessAt)}` : "; never listed"}
        .
      </p>
      {row.error && <p className="break-words text-muted-foreground">{row.error}</p>}
      {row.fix && (
        <div className="flex flex-col gap-1">
          <p className="font-medium">Fix: {row.fix.summary}</p>
          <div className="flex items-start gap-2">
            <pre
              className="min-w-0 flex-1 overflow-x-auto rounded-md bg-muted px-3 py-2 text-xs"
              data-testid="coverage-fix"
            >
              <code>{row.fix.statement}</code>
            </pre>
            <CopyButton value={row.fix.statement} label="Copy the statement" />
          </div>
        </div>
      )}
    </div>
  );
}

/** Every account-region of the page: the account with its OU path, the region, the state, and what to do. */
export function CoverageTable({ rows }: { rows: CoverageRow[] }) {
  return (
    <Table caption="Account-regions and their coverage" columns={COLUMNS} stickyFirstColumn>
      {rows.length === 0 ? (
        <TableEmptyRow colSpan={COLUMNS.length}>No account-region matches these filters.</TableEmptyRow>
      ) : (
        rows.map((r) => (
          <TableRow key={`${r.accountId}/${r.region}`} data-coverage={`${r.accountId}/${r.region}`}>
            <TableRowHead className="min-w-36 max-w-56">
              <span className="font-medium break-words">{r.accountName}</span>
              <span className="block text-xs text-muted-foreground">{r.accountId}</span>
              {r.ouPath && (
                <span className="block text-xs break-words text-muted-foreground">{r.ouPath}</span>
              )}
            </TableRowHead>
            <TableCell className="whitespace-nowrap">
              {r.region === NO_REGION ? (
                <span className="text-muted-foreground">no region known</span>
              ) : (
                r.region
              )}
            </TableCell>
            <TableCell>
              <CoverageStateBadge state={r.state} />
            </TableCell>
            <TableCell className="min-w-64 max-w-2xl text-sm">
              <Detail row={r} />
            </TableCell>
          </TableRow>
        ))
      )}
    </Table>
  );
}
