import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseInsightFilters } from "@/lib/insight-table/filters";
import { coverageHref, parseCoverageFilters } from "./filters";
import { COVERAGE_STATES } from "./states";

describe("parseCoverageFilters", () => {
  it("reads states, accounts, regions, OUs and the page", () => {
    const { filters, notices } = parseCoverageFilters(
      new URLSearchParams("state=scanned&state=ACCESS_DENIED&account=111122223333&region=eu-west-1&page=2"),
    );
    expect(notices).toEqual([]);
    expect(filters).toMatchObject({
      states: ["SCANNED", "ACCESS_DENIED"],
      accounts: ["111122223333"],
      regions: ["eu-west-1"],
      page: 2,
    });
  });

  it("takes the names of Object's own properties for unknown parameters, with a notice", () => {
    const { filters, notices } = parseCoverageFilters(
      new URLSearchParams("constructor=1&__proto__=x&toString=y&hasOwnProperty=z&state=STALE"),
    );
    expect(filters.states).toEqual(["STALE"]);
    expect(notices).toEqual([
      'Ignored unknown parameter "constructor".',
      'Ignored unknown parameter "__proto__".',
      'Ignored unknown parameter "toString".',
      'Ignored unknown parameter "hasOwnProperty".',
    ]);
  });
});

// Any query string a link or a person can type: names drawn from the filters' own, Object's
// properties and anything else; values anything.
const NAMES = ["state", "account", "region", "ou", "page", "severity", "tag", "q", "sort", "cursor"];
const OBJECT_NAMES = Object.getOwnPropertyNames(Object.prototype);
const anyQuery = fc
  .array(
    fc.tuple(
      fc.oneof(fc.constantFrom(...NAMES), fc.constantFrom(...OBJECT_NAMES), fc.string()),
      fc.oneof(fc.string(), fc.constantFrom(...COVERAGE_STATES), fc.constantFrom("1", "-1", "1e9", "")),
    ),
    { maxLength: 12 },
  )
  .map((pairs) => {
    const params = new URLSearchParams();
    for (const [name, value] of pairs) params.append(name, value);
    return params;
  });

describe("the pages' URL parsers, on any query", () => {
  it("coverage: never throws, keeps only valid values, and its link reads back the same", () => {
    fc.assert(
      fc.property(anyQuery, (params) => {
        const { filters } = parseCoverageFilters(params);
        for (const state of filters.states) expect(COVERAGE_STATES).toContain(state);
        expect(Number.isInteger(filters.page) && filters.page >= 1).toBe(true);
        const again = parseCoverageFilters(new URL(coverageHref(filters), "http://x").searchParams);
        expect(again.filters).toEqual(filters);
        expect(again.notices).toEqual([]);
      }),
    );
  });

  it("insight table: never throws", () => {
    fc.assert(
      fc.property(anyQuery, (params) => {
        const { filters } = parseInsightFilters(params);
        expect(filters.page).toBeGreaterThanOrEqual(1);
      }),
    );
  });
});
