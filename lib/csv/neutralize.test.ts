import { describe, expect, it } from "vitest";
import { neutralizeCell } from "./neutralize";

describe("neutralizeCell", () => {
  it.each([
    ['=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'],
    ["+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"],
    ["-2+3", "'-2+3"],
    ["@SUM(A1:A2)", "'@SUM(A1:A2)"],
    ["\t=1+1", "'\t=1+1"],
    ["\r=1+1", "'\r=1+1"],
    ["\uFF1D1+1", "'\uFF1D1+1"],
  ])("prefixes %j", (value, expected) => {
    expect(neutralizeCell(value)).toBe(expected);
  });

  it("prefixes a negative number too: any cell is treated as text", () => {
    expect(neutralizeCell("-5")).toBe("'-5");
  });

  it.each(["", "365", "alias/orders", "a=b", " =1+1", "2026-11-30T08:15:00.000Z", "'quoted"])(
    "leaves %j alone",
    (value) => {
      expect(neutralizeCell(value)).toBe(value);
    },
  );
});
