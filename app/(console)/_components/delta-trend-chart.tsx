"use client";

import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from "recharts";
import { AXIS_LINE, AXIS_TICK, LEGEND_STYLE, TOOLTIP_STYLE } from "./chart-style";

export interface DeltaChartPoint {
  /** Preformatted on the server (UTC), so that server and browser render the same text. */
  label: string;
  new: number;
  reopened: number;
  resolved: number;
}

/** New (and reopened) against resolved findings per scan. The numbers are also in a table, for screen readers. */
export function DeltaTrendChart({ points }: { points: DeltaChartPoint[] }) {
  return (
    <BarChart
      responsive
      data={points}
      style={{ width: "100%", height: 260 }}
      margin={{ top: 8, right: 16, bottom: 8, left: 0 }}
    >
      <CartesianGrid strokeDasharray="3 3" stroke={AXIS_LINE} />
      <XAxis
        dataKey="label"
        tick={AXIS_TICK}
        stroke={AXIS_LINE}
        interval="preserveStartEnd"
        minTickGap={16}
      />
      <YAxis allowDecimals={false} tick={AXIS_TICK} stroke={AXIS_LINE} width={40} />
      <Tooltip contentStyle={TOOLTIP_STYLE} cursor={{ fill: "var(--color-muted)" }} />
      <Legend wrapperStyle={LEGEND_STYLE} />
      <Bar
        dataKey="new"
        name="New"
        stackId="opened"
        fill="var(--color-critical)"
        maxBarSize={32}
        isAnimationActive={false}
      />
      <Bar
        dataKey="reopened"
        name="Reopened"
        stackId="opened"
        fill="var(--color-warning)"
        maxBarSize={32}
        isAnimationActive={false}
      />
      <Bar
        dataKey="resolved"
        name="Resolved"
        fill="var(--color-ok)"
        maxBarSize={32}
        isAnimationActive={false}
      />
    </BarChart>
  );
}
