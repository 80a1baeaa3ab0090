"use client";

import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import { formatUtcMinute } from "@/lib/insight-table/display-dates";
import type { TimeAxis } from "@/lib/insight-table/time-ticks";
import { SEVERITY_LABELS } from "@/lib/verdict/types";
import { AXIS_LINE, AXIS_TICK, LEGEND_STYLE, TOOLTIP_STYLE } from "./chart-style";

export interface TrendChartPoint {
  /** When the scan started, ms since the epoch: a time axis spaces scans as they happened. */
  t: number;
  critical: number;
  warning: number;
}

/** Critical and warning keys per scan over time. The numbers are also in a table, for screen readers. */
export function SeverityTrendChart({ points, axis }: { points: TrendChartPoint[]; axis: TimeAxis }) {
  const labels = new Map(axis.ticks.map((t) => [t.value, t.label]));
  return (
    <LineChart
      responsive
      data={points}
      style={{ width: "100%", height: 260 }}
      margin={{ top: 8, right: 16, bottom: 8, left: 0 }}
    >
      <CartesianGrid strokeDasharray="3 3" stroke={AXIS_LINE} />
      <XAxis
        dataKey="t"
        type="number"
        scale="time"
        domain={axis.domain}
        ticks={axis.ticks.map((t) => t.value)}
        tickFormatter={(v: number) => labels.get(v) ?? ""}
        interval="preserveStartEnd"
        minTickGap={8}
        tick={AXIS_TICK}
        stroke={AXIS_LINE}
      />
      <YAxis allowDecimals={false} tick={AXIS_TICK} stroke={AXIS_LINE} width={40} />
      <Tooltip labelFormatter={(v) => formatUtcMinute(new Date(Number(v)))} contentStyle={TOOLTIP_STYLE} />
      <Legend wrapperStyle={LEGEND_STYLE} />
      <Line
        type="linear"
        dataKey="critical"
        name={SEVERITY_LABELS.CRITICAL}
        stroke="var(--color-critical)"
        strokeWidth={2}
        dot={points.length <= 40 ? { r: 2.5 } : false}
        isAnimationActive={false}
      />
      <Line
        type="linear"
        dataKey="warning"
        name={SEVERITY_LABELS.WARNING}
        stroke="var(--color-warning)"
        strokeWidth={2}
        strokeDasharray="6 3"
        dot={points.length <= 40 ? { r: 2.5 } : false}
        isAnimationActive={false}
      />
    </LineChart>
  );
}
