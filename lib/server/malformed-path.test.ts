import { describe, expect, it } from "vitest";
import { hasMalformedPath } from "./malformed-path";

describe("hasMalformedPath", () => {
  it("finds a %-escape that does not decode in the path", () => {
    expect(hasMalformedPath("/keys/%ff")).toBe(true);
    expect(hasMalformedPath("/fixes/%E0%A4%A")).toBe(true);
    expect(hasMalformedPath("/exceptions/%")).toBe(true);
    expect(hasMalformedPath("/keys/%zz?x=1")).toBe(true);
  });

  it("passes paths that decode, whatever their query (the pages read and refuse those themselves)", () => {
    expect(hasMalformedPath(undefined)).toBe(false);
    expect(hasMalformedPath("/")).toBe(false);
    expect(hasMalformedPath("/keys/abc%2Fdef")).toBe(false);
    expect(hasMalformedPath("/keys/%C3%A9")).toBe(false);
    expect(hasMalformedPath("/insights/kms-key-rotation?q=%ff&page=%")).toBe(false);
  });
});
