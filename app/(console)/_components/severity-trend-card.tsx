import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { formatUtcMinute } from "@/lib/insight-table/display-dates";
import type { TrendPoint } from "@/lib/insight-table/severity-trend";
import { SeverityTrendChart } from "./severity-trend-chart";

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
        <CardTitle>CRITICAL and WARNING keys over time</CardTitle>
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
            <table className="mt-2 w-full text-sm">
              <caption className="sr-only">CRITICAL and WARNING keys per scan</caption>
              <thead>
                <tr className="text-left text-xs text-muted-foreground">
                  <th scope="col">Scan started</th>
                  <th scope="col">Status</th>
                  <th scope="col" className="text-right">
                    CRITICAL
                  </th>
                  <th scope="col" className="text-right">
                    WARNING
                  </th>
                </tr>
              </thead>
              <tbody>
                {[...trend].reverse().map((p) => (
                  <tr key={p.scanId}>
                    <th scope="row" className="font-normal">
                      {formatUtcMinute(p.startedAt)}
                    </th>
                    <td>{p.status.toLowerCase()}</td>
                    <td className="text-right tabular-nums">{p.critical}</td>
                    <td className="text-right tabular-nums">{p.warning}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </CardContent>
      )}
    </Card>
  );
}
