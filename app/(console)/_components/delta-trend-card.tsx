import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableCell, TableRow, TableRowHead } from "@/components/ui/table";
import { formatUtcMinute } from "@/lib/insight-table/display-dates";
import type { ScanDelta } from "@/lib/triage/scan-delta";
import { scanLabels } from "@/lib/insight-table/time-ticks";
import { DeltaTrendChart } from "./delta-trend-chart";

const HEADERS = [
  "Scan started",
  { label: "New", numeric: true },
  { label: "Reopened", numeric: true },
  { label: "Resolved", numeric: true },
  { label: "Still failing", numeric: true },
] as const;

export function DeltaTrendCard({ trend }: { trend: ScanDelta[] }) {
  const labels = scanLabels(trend.map((d) => d.startedAt.getTime()));
  const only = trend.length === 1 ? trend[0]! : null;
  const points = trend.map((d, i) => ({
    label: labels[i]!,
    new: d.new,
    reopened: d.reopened,
    resolved: d.resolved,
  }));
  return (
    <Card data-testid="delta-trend">
      <CardHeader>
        <CardTitle>New and resolved findings per scan</CardTitle>
        <CardDescription>
          {trend.length
            ? `The last ${trend.length} scan${trend.length === 1 ? "" : "s"} that recorded changes.`
            : "No scan has recorded changes yet."}
        </CardDescription>
      </CardHeader>
      {trend.length > 0 && (
        <CardContent>
          {only ? (
            <p className="text-sm" data-testid="delta-sentence">
              The scan of {formatUtcMinute(only.startedAt)}: {only.new} new, {only.reopened} reopened,{" "}
              {only.resolved} resolved, {only.stillFailing} still failing.
            </p>
          ) : (
            <DeltaTrendChart points={points} />
          )}
          {!only && (
            <details className="mt-2 text-sm">
              <summary className="cursor-pointer text-muted-foreground">The numbers per scan</summary>
              <Table bare className="mt-2" caption="New and resolved findings per scan" columns={HEADERS}>
                {[...trend].reverse().map((d) => (
                  <TableRow key={d.scanId}>
                    <TableRowHead>{formatUtcMinute(d.startedAt)}</TableRowHead>
                    <TableCell numeric>{d.new}</TableCell>
                    <TableCell numeric>{d.reopened}</TableCell>
                    <TableCell numeric>{d.resolved}</TableCell>
                    <TableCell numeric>{d.stillFailing}</TableCell>
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
