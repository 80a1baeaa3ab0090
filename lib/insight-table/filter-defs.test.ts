import { describe, expect, it } from "vitest";
import { likeContains, shownSeverities } from "./filter-defs";
import { EMPTY_FILTERS } from "./filters";

describe("likeContains", () => {
  it("lower-cases and escapes LIKE's wildcards and its escape character", () => {
    expect(likeContains("Alias/100%_Done\\x")).toBe("%alias/100\\%\\_done\\\\x%");
  });
});

describe("shownSeverities", () => {
  it("hides NOT_APPLICABLE unless it is chosen", () => {
    expect(shownSeverities(EMPTY_FILTERS)).toEqual(["CRITICAL", "WARNING", "OK"]);
    expect(shownSeverities({ severities: ["NOT_APPLICABLE"] })).toEqual(["NOT_APPLICABLE"]);
  });
});
