import { describe, expect, it } from "vitest";
import type { ScanProgress } from "@/lib/scans/progress";
import { progressBar, progressLine } from "./scan-progress";

const progress = (done: number, total: number, keys = 0): ScanProgress => ({
  scanId: "s1",
  status: "RUNNING",
  startedAt: new Date(0),
  running: true,
  targetsDone: done,
  targetsTotal: total,
  keysSoFar: keys,
  failedTargets: 0,
  keyErrors: 0,
});

describe("progressLine", () => {
  it("fills the bar in proportion to the account-regions done", () => {
    expect(progressLine(progress(0, 4))).toBe(
      `[${"-".repeat(24)}] 0 of 4 account-regions done, 0 keys so far`,
    );
    expect(progressLine(progress(3, 6, 36))).toBe(
      `[${"#".repeat(12)}${"-".repeat(12)}] 3 of 6 account-regions done, 36 keys so far`,
    );
    expect(progressLine(progress(6, 6))).toMatch(/^\[#{24}\] /);
  });

  it("never wraps a narrow terminal", () => {
    expect(progressLine(progress(1, 2), 30)).toHaveLength(29);
  });
});

describe("progressBar", () => {
  it("redraws one line in place, only when it changes, and ends it with a newline", () => {
    const written: string[] = [];
    const bar = progressBar({ isTTY: true, columns: 120, write: (t) => written.push(t) });
    bar.draw(progress(0, 2));
    bar.draw(progress(0, 2));
    bar.draw(progress(1, 2, 5));
    bar.end();
    expect(written).toHaveLength(3);
    expect(written[0]).toMatch(/^\r\x1b\[2K\[-{24}\] 0 of 2/);
    expect(written[1]).toMatch(/^\r\x1b\[2K\[#{12}-{12}\] 1 of 2 account-regions done, 5 keys so far$/);
    expect(written[2]).toBe("\n");
  });
});
