"use client";

import { SEVERITY_LABELS } from "@/lib/verdict/types";
import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import { AXIS, TICK, TOOLTIP_STYLE } from "./chart-theme";

export interface TrendChartPoint {
  /** Preformatted on the server (UTC), so that server and browser render the same text. */
  label: string;
  critical: number;
  warning: number;
}

/** Critical and warning keys per scan. The numbers are also in the table beside it, for screen readers. */
export function SeverityTrendChart({ points }: { points: TrendChartPoint[] }) {
  return (
    <LineChart
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
      <Line
        type="linear"
        dataKey="critical"
        name={SEVERITY_LABELS.CRITICAL}
        stroke="var(--color-critical)"
        strokeWidth={2}
        isAnimationActive={false}
      />
      <Line
        type="linear"
        dataKey="warning"
        name={SEVERITY_LABELS.WARNING}
        stroke="var(--color-warning)"
        strokeWidth={2}
        strokeDasharray="6 3"
        isAnimationActive={false}
      />
    </LineChart>
  );
}
