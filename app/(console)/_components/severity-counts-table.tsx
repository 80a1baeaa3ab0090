import Link from "next/link";
import { Table, TableCell, TableEmptyRow, TableRow, TableRowHead } from "@/components/ui/table";
import type { SeverityCounts } from "@/lib/verdict/severity-counts";
import type { InsightFilters } from "@/lib/insight-table/filters";
import { insightTableHref } from "@/lib/insight-table/table-href";
import { SEVERITIES, SEVERITY_LABELS } from "@/lib/verdict/types";

export interface CountsRow {
  key: string;
  label: string;
  /** Shown under the label, e.g. the account id. */
  detail?: string;
  filter: Partial<Pick<InsightFilters, "accounts" | "regions">>;
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
    ...SEVERITIES.map((s) => ({ label: SEVERITY_LABELS[s], numeric: true })),
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
                href={insightTableHref({ ...row.filter, severities: [severity] })}
                className="hover:underline"
              >
                {row.counts[severity]}
                <span className="sr-only">
                  {" "}
                  {SEVERITY_LABELS[severity]} keys in {row.label}
                </span>
              </Link>
            </TableCell>
          ))}
          <TableCell numeric className="font-medium">
            <Link
              href={insightTableHref({ ...row.filter, severities: [...SEVERITIES] })}
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
