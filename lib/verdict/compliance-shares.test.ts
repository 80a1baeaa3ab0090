import { describe, expect, it } from "vitest";
import { passingPercent } from "./compliance-shares";

describe("passingPercent", () => {
  it("shows 100 only when every key passes and 0 only when none does", () => {
    expect(passingPercent({ applicable: 0, passing: 0 })).toBeNull();
    expect(passingPercent({ applicable: 72, passing: 72 })).toBe(100);
    expect(passingPercent({ applicable: 1000, passing: 999 })).toBe(99);
    expect(passingPercent({ applicable: 1000, passing: 1 })).toBe(1);
    expect(passingPercent({ applicable: 72, passing: 63 })).toBe(88);
  });
});
