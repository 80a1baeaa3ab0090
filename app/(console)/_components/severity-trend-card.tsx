import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableCell, TableRow, TableRowHead } from "@/components/ui/table";
import { formatUtcMinute } from "@/lib/insight-table/display-dates";
import type { TrendPoint } from "@/lib/insight-table/severity-trend";
import { SEVERITY_LABELS } from "@/lib/verdict/types";
import { SeverityTrendChart } from "./severity-trend-chart";

const HEADERS = [
  "Scan started",
  "Status",
  { label: SEVERITY_LABELS.CRITICAL, numeric: true },
  { label: SEVERITY_LABELS.WARNING, numeric: true },
] as const;

export function SeverityTrendCard({ trend }: { trend: TrendPoint[] }) {
  const points = trend.map((p) => ({
    // "11-30 08:15": several scans a day stay apart.
    label: formatUtcMinute(p.startedAt).slice(5, 16),
    critical: p.critical,
    warning: p.warning,
  }));
  return (
    <Card>
      <CardHeader>
        <CardTitle>Critical and warning keys over time</CardTitle>
        <CardDescription>
          {trend.length
            ? `The last ${trend.length} finished scan${trend.length === 1 ? "" : "s"}.`
            : "No finished scan yet: the chart starts with the first one."}
        </CardDescription>
      </CardHeader>
      {trend.length > 0 && (
        <CardContent>
          <SeverityTrendChart points={points} />
          <details className="mt-2 text-sm">
            <summary className="cursor-pointer text-muted-foreground">The numbers per scan</summary>
            <Table bare className="mt-2" caption="Critical and warning keys per scan" columns={HEADERS}>
              {[...trend].reverse().map((p) => (
                <TableRow key={p.scanId}>
                  <TableRowHead>{formatUtcMinute(p.startedAt)}</TableRowHead>
                  <TableCell>{p.status.toLowerCase()}</TableCell>
                  <TableCell numeric>{p.critical}</TableCell>
                  <TableCell numeric>{p.warning}</TableCell>
                </TableRow>
              ))}
            </Table>
          </details>
        </CardContent>
      )}
    </Card>
  );
}
