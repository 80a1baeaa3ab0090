import { describe, expect, it } from "vitest";
import { countSource } from "./count-source";
import { EMPTY_FILTERS, type InsightFilters } from "./filters";

const tableOf = (filters: Partial<InsightFilters>, scope: string[] | null = null, groups = false) =>
  countSource({ ...EMPTY_FILTERS, ...filters }, scope, { groups })?.text.split(" ")[0] ?? null;

describe("countSource", () => {
  it("takes the first count table that has the column of every filter set", () => {
    expect(tableOf({})).toBe("kms_key_severity_counts");
    expect(tableOf({ severities: ["OK"] })).toBe("kms_key_severity_counts");
    expect(tableOf({ accounts: ["111122223333"] })).toBe("kms_key_counts");
    expect(tableOf({ regions: ["eu-west-1"] })).toBe("kms_key_counts");
    expect(tableOf({ tag: "env" })).toBe("kms_key_tag_counts");
    expect(tableOf({ tag: "env", tagValues: [""] })).toBe("kms_key_tag_value_counts");
    expect(tableOf({ tagValues: ["prod"] })).toBe("kms_key_severity_counts");
  });

  it("needs the account column for a scope and for the groups of the default order", () => {
    expect(tableOf({}, ["111122223333"])).toBe("kms_key_counts");
    expect(tableOf({}, null, true)).toBe("kms_key_counts");
  });

  it("cannot answer a text search", () => {
    expect(tableOf({ q: "alias" })).toBeNull();
  });
});
