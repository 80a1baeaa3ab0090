import { describe, expect, it } from "vitest";
import { parsePageParam } from "./page-param";

describe("parsePageParam", () => {
  it("takes a positive integer", () => {
    expect(parsePageParam("3")).toEqual({ page: 3, ignored: null });
    expect(parsePageParam(undefined)).toEqual({ page: 1, ignored: null });
  });

  it("ignores anything else, saying what it ignored", () => {
    for (const value of ["0", "-1", "1.5", "abc", "", " 2", "01", "1e3", "9999999999"]) {
      expect(parsePageParam(value)).toEqual({ page: 1, ignored: value });
    }
    expect(parsePageParam(["1", "2"])).toEqual({ page: 1, ignored: "1,2" });
  });
});
