import { describe, expect, it } from "vitest";
import { recurring } from "./recurring";

describe("recurring", () => {
  it("computes each key once while it is remembered, null included", () => {
    const calls: string[] = [];
    const parse = recurring((text: string) => {
      calls.push(text);
      return text === "" ? null : text.length;
    }, 3);
    expect([parse("ab"), parse("ab"), parse(""), parse("")]).toEqual([2, 2, null, null]);
    expect(calls).toEqual(["ab", ""]);
  });

  it("forgets everything when full, and gives the same answers after", () => {
    let calls = 0;
    const square = recurring((n: number) => (calls++, n * n), 2);
    expect([square(1), square(2), square(3), square(1)]).toEqual([1, 4, 9, 1]);
    expect(calls).toBe(4); // 3 filled the memory up: it was emptied, so 1 was computed again
  });
});
