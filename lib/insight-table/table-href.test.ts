import { describe, expect, it } from "vitest";
import { insightTableHref, keyHref } from "./table-href";

describe("insightTableHref", () => {
  it("is the bare table without filters", () => {
    expect(insightTableHref()).toBe("/insights/kms-key-rotation");
  });

  it("writes the table's URL contract: repeated severity, account, region, tag and value", () => {
    expect(
      insightTableHref({
        severity: ["CRITICAL", "WARNING"],
        account: "012345678901",
        region: "eu-west-1",
        tag: "team",
        tagValue: "a&b c",
      }),
    ).toBe(
      "/insights/kms-key-rotation?severity=CRITICAL&severity=WARNING&account=012345678901&region=eu-west-1&tag=team&tagValue=a%26b+c",
    );
  });

  it("keeps a tag value only with its tag key", () => {
    expect(insightTableHref({ tagValue: "x" })).toBe("/insights/kms-key-rotation");
  });
});

describe("keyHref", () => {
  it("escapes the id", () => {
    expect(keyHref("ck1 /x")).toBe("/keys/ck1%20%2Fx");
  });
});
