import Link from "next/link";
import type { SeverityCounts } from "@/lib/verdict/severity-counts";
import type { InsightFilters } from "@/lib/insight-table/filters";
import { insightTableHref } from "@/lib/insight-table/table-href";
import { SEVERITIES } from "@/lib/verdict/types";

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
  return (
    <div className="overflow-x-auto rounded-lg border border-border bg-white shadow-sm">
      <table className="w-full text-sm">
        <caption className="px-4 pt-4 pb-2 text-left text-base font-semibold">{caption}</caption>
        <thead className="text-xs text-muted-foreground">
          <tr className="border-b border-border">
            <th scope="col" className="px-4 py-2 text-left font-medium">
              {rowHeader}
            </th>
            {SEVERITIES.map((s) => (
              <th key={s} scope="col" className="px-3 py-2 text-right font-medium">
                {s}
              </th>
            ))}
            <th scope="col" className="px-4 py-2 text-right font-medium">
              Total
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 && (
            <tr>
              <td colSpan={SEVERITIES.length + 2} className="px-4 py-3 text-muted-foreground">
                No keys yet.
              </td>
            </tr>
          )}
          {rows.map((row) => (
            <tr key={row.key} className="border-b border-border last:border-0">
              <th scope="row" className="px-4 py-2 text-left font-medium">
                {row.label}
                {row.detail && (
                  <span className="block text-xs font-normal text-muted-foreground">{row.detail}</span>
                )}
              </th>
              {SEVERITIES.map((severity) => (
                <td key={severity} className="px-3 py-2 text-right tabular-nums">
                  <Link
                    href={insightTableHref({ ...row.filter, severities: [severity] })}
                    className="hover:underline"
                  >
                    {row.counts[severity]}
                    <span className="sr-only">
                      {" "}
                      {severity} keys in {row.label}
                    </span>
                  </Link>
                </td>
              ))}
              <td className="px-4 py-2 text-right font-medium tabular-nums">
                <Link
                  href={insightTableHref({ ...row.filter, severities: [...SEVERITIES] })}
                  className="hover:underline"
                >
                  {row.total}
                  <span className="sr-only"> keys in {row.label}</span>
                </Link>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
