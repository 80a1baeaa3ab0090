"use client";

import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from "recharts";
import { AXIS, TICK, TOOLTIP_STYLE } from "./chart-theme";

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
      <CartesianGrid strokeDasharray="3 3" stroke="var(--color-border)" />
      <XAxis dataKey="label" tick={TICK} stroke={AXIS} minTickGap={24} />
      <YAxis allowDecimals={false} tick={TICK} stroke={AXIS} width={48} />
      <Tooltip {...TOOLTIP_STYLE} />
      <Legend />
      <Bar dataKey="new" name="New" stackId="opened" fill="var(--color-critical)" isAnimationActive={false} />
      <Bar
        dataKey="reopened"
        name="Reopened"
        stackId="opened"
        fill="var(--color-warning)"
        isAnimationActive={false}
      />
      <Bar dataKey="resolved" name="Resolved" fill="var(--color-ok)" isAnimationActive={false} />
    </BarChart>
  );
}
