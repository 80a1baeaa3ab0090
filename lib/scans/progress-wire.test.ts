import { describe, expect, it } from "vitest";
import { describeProgress, progressHeadline } from "./progress-wire";

describe("describeProgress", () => {
  it("says how far a scan is, naming errors only when there are some", () => {
    const counts = { targetsDone: 3, targetsTotal: 6, keysSoFar: 36, failedTargets: 0, keyErrors: 0 };
    expect(describeProgress(counts)).toBe("3 of 6 account-regions done, 36 keys so far");
    expect(
      describeProgress({
        ...counts,
        targetsTotal: 1,
        targetsDone: 1,
        keysSoFar: 1,
        failedTargets: 1,
        keyErrors: 1,
      }),
    ).toBe("1 of 1 account-region done, 1 key so far, 1 account-region failed, 1 key read with errors");
  });

  it("heads a running scan and a finished one in words", () => {
    expect(progressHeadline({ status: "QUEUED", running: true })).toBe("Scan queued");
    expect(progressHeadline({ status: "RUNNING", running: true })).toBe("Scan running");
    expect(progressHeadline({ status: "PARTIAL", running: false })).toBe("Scan finished with failures");
    expect(progressHeadline({ status: "SUCCEEDED", running: false })).toBe("Scan succeeded");
  });
});
