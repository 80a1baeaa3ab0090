import { describe, expect, it } from "vitest";
import { canonicalViewQuery, savedViewHref } from "./query";

describe("a view's query", () => {
  it("is stored in the table's canonical form: known filters in order, page 1, nothing unknown", () => {
    expect(
      canonicalViewQuery("?page=3&severity=CRITICAL&bogus=1&account=111111111111&sort=-region&account=x"),
    ).toBe("account=111111111111&severity=CRITICAL&sort=-region");
  });

  it("keeps a page size that is not the default, and is empty for the unfiltered table", () => {
    expect(canonicalViewQuery("pageSize=100&page=2")).toBe("pageSize=100");
    expect(canonicalViewQuery("")).toBe("");
  });

  it("opens the table on the stored query as it is, so that the page reads it afresh", () => {
    expect(savedViewHref("severity=CRITICAL&retired=1")).toBe(
      "/insights/kms-key-rotation?severity=CRITICAL&retired=1",
    );
    expect(savedViewHref("")).toBe("/insights/kms-key-rotation");
  });
});
