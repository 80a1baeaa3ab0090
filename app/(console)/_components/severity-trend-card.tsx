import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableCell, TableRow, TableRowHead } from "@/components/ui/table";
import { formatUtcMinute } from "@/lib/insight-table/display-dates";
import type { TrendPoint } from "@/lib/insight-table/severity-trend";
import { timeAxis } from "@/lib/insight-table/time-ticks";
import { SEVERITY_LABELS } from "@/lib/verdict/types";
import { SeverityTrendChart } from "./severity-trend-chart";

const HEADERS = [
  "Scan started",
  "Status",
  { label: SEVERITY_LABELS.CRITICAL, numeric: true },
  { label: SEVERITY_LABELS.WARNING, numeric: true },
] as const;

/** A line over time from two scans on; the one scan there is, in a sentence (a lone dot says nothing). */
export function SeverityTrendCard({ trend }: { trend: TrendPoint[] }) {
  const points = trend.map((p) => ({ t: p.startedAt.getTime(), critical: p.critical, warning: p.warning }));
  const only = trend.length === 1 ? trend[0]! : null;
  return (
    <Card data-testid="severity-trend">
      <CardHeader>
        <CardTitle>Critical and warning keys over time</CardTitle>
        <CardDescription>
          {trend.length > 1
            ? `The last ${trend.length} finished scans.`
            : only
              ? "One finished scan so far: the chart starts with the second."
              : "No finished scan yet: the chart starts with the first ones."}
        </CardDescription>
      </CardHeader>
      {trend.length > 0 && (
        <CardContent>
          {only ? (
            <p className="text-sm" data-testid="trend-sentence">
              The scan of {formatUtcMinute(only.startedAt)} found{" "}
              <strong className="text-critical">{only.critical}</strong>{" "}
              {SEVERITY_LABELS.CRITICAL.toLowerCase()} and{" "}
              <strong className="text-warning">{only.warning}</strong> {SEVERITY_LABELS.WARNING.toLowerCase()}{" "}
              {only.warning === 1 ? "key" : "keys"}.
            </p>
          ) : (
            <SeverityTrendChart points={points} axis={timeAxis(points.map((p) => p.t))} />
          )}
          {trend.length > 1 && (
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
          )}
        </CardContent>
      )}
    </Card>
  );
}
