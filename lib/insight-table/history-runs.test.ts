import { describe, expect, it } from "vitest";
import { collapseHistory, type HistoryEntry } from "./history-runs";

const at = (day: number) => new Date(Date.UTC(2026, 10, day, 8));
const entry = (day: number, severity: HistoryEntry["severity"], reason: string): HistoryEntry => ({
  severity,
  reason,
  evaluatedAt: at(day),
});

describe("collapseHistory", () => {
  it("merges consecutive identical evaluations into one run, newest first", () => {
    const entries = [
      entry(6, "OK", "ROTATION_ENABLED"),
      entry(5, "OK", "ROTATION_ENABLED"),
      entry(4, "CRITICAL", "ROTATION_DISABLED"),
      entry(3, "CRITICAL", "ROTATION_DISABLED"),
      entry(2, "CRITICAL", "ROTATION_DISABLED"),
      entry(1, "OK", "ROTATION_ENABLED"),
    ];
    expect(collapseHistory(entries)).toEqual([
      { severity: "OK", reason: "ROTATION_ENABLED", from: at(5), to: at(6), scans: 2 },
      { severity: "CRITICAL", reason: "ROTATION_DISABLED", from: at(2), to: at(4), scans: 3 },
      { severity: "OK", reason: "ROTATION_ENABLED", from: at(1), to: at(1), scans: 1 },
    ]);
  });

  it("keeps a change of reason at the same severity apart", () => {
    const runs = collapseHistory([
      entry(2, "WARNING", "ROTATION_PERIOD_EXCEEDS_POLICY"),
      entry(1, "WARNING", "ROTATION_STATUS_UNKNOWN"),
    ]);
    expect(runs.map((r) => r.reason)).toEqual(["ROTATION_PERIOD_EXCEEDS_POLICY", "ROTATION_STATUS_UNKNOWN"]);
  });

  it("has no run for no history", () => {
    expect(collapseHistory([])).toEqual([]);
  });
});
