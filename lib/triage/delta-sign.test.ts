import { describe, expect, it } from "vitest";
import { added, removed } from "./delta-sign";

describe("a scan's change counts", () => {
  it("signs the counts that moved", () => {
    expect(`${added(50)} new, ${removed(2)} resolved`).toBe("+50 new, −2 resolved");
  });

  it("writes no sign on zero", () => {
    expect(`${added(0)} new, ${removed(0)} resolved`).toBe("0 new, 0 resolved");
  });
});
