import { describe, expect, it } from "vitest";
import { FaultInjector } from "./faults";

const decisions = (injector: FaultInjector, count: number) =>
  Array.from({ length: count }, () => injector.decideKms("ListKeys", "111111111111").kind);

describe("FaultInjector", () => {
  it("injects nothing by default", () => {
    expect(new Set(decisions(new FaultInjector(), 200))).toEqual(new Set(["none"]));
  });

  it("throttles about the share asked for, the same way for the same seed", () => {
    const first = decisions(new FaultInjector({ throttleRate: 0.3, seed: 5 }), 2000);
    const share = first.filter((d) => d === "throttle").length / first.length;
    expect(share).toBeGreaterThan(0.25);
    expect(share).toBeLessThan(0.35);
    expect(decisions(new FaultInjector({ throttleRate: 0.3, seed: 5 }), 2000)).toEqual(first);
    expect(decisions(new FaultInjector({ throttleRate: 0.3, seed: 6 }), 2000)).not.toEqual(first);
  });

  it("denies listed accounts for every operation, listed operations everywhere, and both together narrowly", () => {
    const byAccount = new FaultInjector({ accessDenied: { accounts: ["111111111111"] } });
    expect(byAccount.decideKms("DescribeKey", "111111111111").kind).toBe("access-denied");
    expect(byAccount.decideKms("DescribeKey", "222222222222").kind).toBe("none");
    const byOperation = new FaultInjector({ accessDenied: { operations: ["GetKeyRotationStatus"] } });
    expect(byOperation.decideKms("GetKeyRotationStatus", "222222222222").kind).toBe("access-denied");
    expect(byOperation.decideKms("ListKeys", "222222222222").kind).toBe("none");
    const both = new FaultInjector({
      accessDenied: { accounts: ["111111111111"], operations: ["ListAliases"] },
    });
    expect(both.decideKms("ListAliases", "111111111111").kind).toBe("access-denied");
    expect(both.decideKms("ListKeys", "111111111111").kind).toBe("none");
    expect(both.decideKms("ListAliases", "222222222222").kind).toBe("none");
  });

  it("answers malformed JSON only for the operations named", () => {
    const injector = new FaultInjector({ malformedJsonOperations: ["ListAliases"] });
    expect(injector.decideKms("ListAliases", "1").kind).toBe("malformed");
    expect(injector.decideKms("ListKeys", "1").kind).toBe("none");
  });

  it("rejects unknown options and rates outside 0..1", () => {
    expect(() => new FaultInjector({ throttleRate: 1.5 })).toThrow();
    expect(() => new FaultInjector({ throtleRate: 0.3 } as never)).toThrow();
  });
});
