// Ticks of a chart's time axis, chosen on the server so that the browser only draws them: a few
// round instants (whole hours or days, UTC) spread over the scans' dates, labelled no longer than
// their spacing needs, so that they stay apart on a phone as on a wide screen.

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const STEPS = [
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  2 * DAY,
  7 * DAY,
  14 * DAY,
  28 * DAY,
  91 * DAY,
];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

export interface TimeTick {
  value: number;
  label: string;
}

export interface TimeAxis {
  /** The axis runs from..to (ms since the epoch); a lone instant gets an hour each side. */
  domain: [number, number];
  ticks: TimeTick[];
}

const day = (d: Date) => `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}`;
const clock = (d: Date) => d.toISOString().slice(11, 16);

/** "30 Nov", "08:00", "30 Nov 08:00" or "30 Nov 2026": what a tick `step` apart needs to say. */
function labelOf(value: number, step: number, spanDays: number): string {
  const d = new Date(value);
  if (step >= DAY) return spanDays > 300 ? `${day(d)} ${d.getUTCFullYear()}` : day(d);
  return spanDays >= 1 ? `${day(d)} ${clock(d)}` : clock(d);
}

/** At most `maxTicks` ticks over the instants given (ms since the epoch), at round UTC times. */
export function timeAxis(times: readonly number[], maxTicks = 6): TimeAxis {
  if (times.length === 0) return { domain: [0, 0], ticks: [] };
  let from = Math.min(...times);
  let to = Math.max(...times);
  if (from === to) {
    from -= HOUR;
    to += HOUR;
  }
  const span = to - from;
  const step = STEPS.find((s) => span / s <= maxTicks - 1) ?? Math.ceil(span / (maxTicks - 1) / DAY) * DAY;
  const ticks: TimeTick[] = [];
  for (let value = Math.ceil(from / step) * step; value <= to; value += step) {
    ticks.push({ value, label: labelOf(value, step, span / DAY) });
  }
  return { domain: [from, to], ticks };
}

/**
 * Short labels for scans shown one per bar: the hour when they all fall on one day, the day when
 * each day has one scan, both otherwise.
 */
export function scanLabels(times: readonly number[]): string[] {
  const days = times.map((t) => day(new Date(t)));
  const distinctDays = new Set(days).size;
  if (distinctDays === 1) return times.map((t) => clock(new Date(t)));
  if (distinctDays === times.length) return days;
  return times.map((t, i) => `${days[i]} ${clock(new Date(t))}`);
}
