import { describe, expect, it } from "vitest";
import { accountsHref, EMPTY_ACCOUNT_FILTERS, parseAccountFilters } from "./filters";

describe("parseAccountFilters", () => {
  it("reads the filters and the page from the URL; the canonical link leaves defaults out", () => {
    const { filters, notices } = parseAccountFilters(
      new URLSearchParams("q=prod&organization=none&ou=ou-ab12-aaaaaaaa&status=left&page=3&pageSize=25"),
    );
    expect(notices).toEqual([]);
    expect(filters).toEqual({
      q: "prod",
      organization: "none",
      ou: "ou-ab12-aaaaaaaa",
      status: "left",
      page: 3,
      pageSize: 25,
    });
    expect(accountsHref({ ...filters, page: 1 })).toBe(
      "/accounts?q=prod&organization=none&ou=ou-ab12-aaaaaaaa&status=left&pageSize=25",
    );
    expect(accountsHref(EMPTY_ACCOUNT_FILTERS)).toBe("/accounts");
  });

  it("never throws: what it cannot use is dropped with a notice, the rest applies", () => {
    const { filters, notices } = parseAccountFilters({
      page: "0",
      pageSize: "1000",
      status: "gone",
      ou: "ou-1",
      q: ["a", "b"],
      sort: "name",
      organization: "",
    });
    expect(filters).toEqual({ ...EMPTY_ACCOUNT_FILTERS, q: "a" });
    expect(notices).toEqual([
      'Ignored unknown parameter "sort".',
      'Ignored page "0": must be a whole number from 1.',
      'Ignored pageSize "1000": use 25, 50, 100, 200.',
      'Ignored status "gone": use enabled, disabled, suspended, left, excluded.',
      'Ignored ou "ou-1": not an OU or root id.',
      'Parameter "q" was given 2 times; used the first.',
    ]);
  });
});
