import Link from "next/link";
import { Table, TableCell, TableEmptyRow, TableRow, TableRowHead } from "@/components/ui/table";
import type { SeverityCounts } from "@/lib/insights/severity-counts";
import { insightTableHref, type InsightTableFilter } from "@/lib/insights/table-href";
import { SEVERITIES } from "@/lib/insights/types";

export interface CountsRow {
  key: string;
  label: string;
  /** Shown under the label, e.g. the account id. */
  detail?: string;
  filter: Omit<InsightTableFilter, "severity">;
  counts: SeverityCounts;
  total: number;
}

/** Counts per severity for accounts or regions; every number links to the table filtered to it. */
export function SeverityCountsTable({
  caption,
  rowHeader,
  rows,
}: {
  caption: string;
  rowHeader: string;
  rows: CountsRow[];
}) {
  const headers = [
    rowHeader,
    ...SEVERITIES.map((label) => ({ label, numeric: true })),
    { label: "Total", numeric: true },
  ];
  return (
    <Table caption={caption} captionLook="title" columns={headers}>
      {rows.length === 0 && <TableEmptyRow colSpan={headers.length}>No keys yet.</TableEmptyRow>}
      {rows.map((row) => (
        <TableRow key={row.key}>
          <TableRowHead className="font-medium">
            {row.label}
            {row.detail && (
              <span className="block text-xs font-normal text-muted-foreground">{row.detail}</span>
            )}
          </TableRowHead>
          {SEVERITIES.map((severity) => (
            <TableCell key={severity} numeric>
              <Link
                href={insightTableHref({ ...row.filter, severity: [severity] })}
                className="hover:underline"
              >
                {row.counts[severity]}
                <span className="sr-only">
                  {" "}
                  {severity} keys in {row.label}
                </span>
              </Link>
            </TableCell>
          ))}
          <TableCell numeric className="font-medium">
            <Link
              href={insightTableHref({ ...row.filter, severity: SEVERITIES })}
              className="hover:underline"
            >
              {row.total}
              <span className="sr-only"> keys in {row.label}</span>
            </Link>
          </TableCell>
        </TableRow>
      ))}
    </Table>
  );
}
