import { describe, expect, it } from "vitest";
import { filterChips } from "./filter-chips";
import { EMPTY_FILTERS, type InsightFilters, parseInsightFilters } from "./filters";

const NAMES = {
  accounts: new Map([["123456789012", "Demo Prod"]]),
  scans: new Map([["cabcdefghijklmnopqrstu", "the scan of 2026-12-01 08:00 UTC"]]),
};
const chipsOf = (query: string) =>
  filterChips(parseInsightFilters(new URLSearchParams(query)).filters, NAMES);
const textsOf = (query: string) => chipsOf(query).map((c) => c.text);

describe("filterChips", () => {
  it("has no chip for the default view, nor for the sort, page or page size", () => {
    expect(filterChips(EMPTY_FILTERS, NAMES)).toEqual([]);
    expect(chipsOf("sort=-region&page=3&pageSize=100")).toEqual([]);
  });

  it("names each filter with its values in words, in the order of the filters", () => {
    expect(
      textsOf(
        "q=foo&severity=CRITICAL&severity=NOT_APPLICABLE&account=123456789012&account=210987654321" +
          "&status=open&status=excepted&region=eu-west-1&overdue=1",
      ),
    ).toEqual([
      "Account: Demo Prod (1234…), 210987654321",
      "Severity: Critical, Not applicable",
      "Status: Open, Excepted",
      "Region: eu-west-1",
      "Overdue",
      'Search: "foo"',
    ]);
  });

  it("reads a tag with its values, and a change with where it counts from, as one chip", () => {
    expect(textsOf("tag=env")).toEqual(["Tag: env"]);
    expect(textsOf("tag=env&tagValue=prod&tagValue=staging&tagValue=")).toEqual([
      "Tag: env = prod, staging, (empty value)",
    ]);
    expect(textsOf("change=new")).toEqual(["Changed: new since the previous scan"]);
    expect(textsOf("change=new&change=resolved&since=2026-11-30")).toEqual([
      "Changed: new, resolved since 2026-11-30",
    ]);
    expect(textsOf("change=reopened&since=cabcdefghijklmnopqrstu")).toEqual([
      "Changed: reopened since the scan of 2026-12-01 08:00 UTC",
    ]);
  });

  it("links each chip to the same view without that filter (nor those that go with it), from page 1", () => {
    const chips = chipsOf(
      "severity=CRITICAL&tag=env&tagValue=prod&change=new&since=2026-11-30&sort=region&page=4&pageSize=25",
    );
    const hrefs = Object.fromEntries(chips.map((c) => [c.param, c.href]));
    const base = "/insights/kms-key-rotation?";
    expect(hrefs).toEqual({
      severity: `${base}tag=env&tagValue=prod&change=new&since=2026-11-30&sort=region&pageSize=25`,
      tag: `${base}severity=CRITICAL&change=new&since=2026-11-30&sort=region&pageSize=25`,
      change: `${base}severity=CRITICAL&tag=env&tagValue=prod&sort=region&pageSize=25`,
    });
  });

  it("keeps the default status view out of the chips once the last status is removed", () => {
    const [chip] = chipsOf("status=excepted");
    expect(chip!.href).toBe("/insights/kms-key-rotation");
    const filters: InsightFilters = { ...EMPTY_FILTERS, statuses: [] };
    expect(filterChips(filters, NAMES)).toEqual([]);
  });
});
