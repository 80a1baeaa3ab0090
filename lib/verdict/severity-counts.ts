import { SEVERITIES, type Severity } from "./types";

export type SeverityCounts = Record<Severity, number>;

export function emptySeverityCounts(): SeverityCounts {
  return { CRITICAL: 0, WARNING: 0, OK: 0, NOT_APPLICABLE: 0 };
}

export function totalOf(counts: SeverityCounts): number {
  return SEVERITIES.reduce((sum, severity) => sum + counts[severity], 0);
}

/** Keys that fail a control: the spec's CRITICAL and WARNING. */
export function failingOf(counts: SeverityCounts): number {
  return counts.CRITICAL + counts.WARNING;
}
