import { describe, expect, it } from "vitest";
import { auditRangeError, EMPTY_AUDIT_FILTERS, parseAuditFilters, toAuditSearchParams } from "./filters";

describe("parseAuditFilters", () => {
  it("reads every filter and round-trips through the canonical URL", () => {
    const params = new URLSearchParams(
      "action=user.&actor=%20Boss%20&target=1111&from=2026-11-01&to=2026-11-30&page=3",
    );
    const { filters, notices } = parseAuditFilters(params);
    expect(notices).toEqual([]);
    expect(filters).toEqual({
      action: "user.",
      actor: "Boss",
      target: "1111",
      from: "2026-11-01",
      to: "2026-11-30",
      page: 3,
    });
    expect(parseAuditFilters(toAuditSearchParams(filters)).filters).toEqual(filters);
  });

  it("treats empty fields (what the form sends for 'any') as no filter, with no notice", () => {
    expect(parseAuditFilters({ action: "", actor: " ", from: "", page: "" })).toEqual({
      filters: EMPTY_AUDIT_FILTERS,
      notices: [],
      refused: {},
    });
    expect(toAuditSearchParams(EMPTY_AUDIT_FILTERS).toString()).toBe("");
  });

  it.each([
    [{ action: "DROP TABLE" }, 'Ignored action "DROP TABLE": not an action name.'],
    [{ from: "2026-02-30" }, 'Ignored from "2026-02-30": not a calendar date.'],
    [{ to: "yesterday" }, 'Ignored to "yesterday": use a date like 2026-11-30.'],
    [{ page: "0" }, 'Ignored page "0": must be a whole number from 1.'],
    [{ page: "-1" }, 'Ignored page "-1": must be a whole number from 1.'],
    [{ actor: "x".repeat(300) }, `Ignored actor "${"x".repeat(40)}…": longer than 254 characters.`],
    [{ target: "a\0b" }, 'Ignored target "a\\u0000b": contains a NUL character.'],
    [{ sort: "at" }, 'Ignored unknown parameter "sort".'],
    [{ from: "2026-11-30", to: "2026-11-01" }, 'Ignored to "2026-11-01": it is before from "2026-11-30".'],
  ])("drops %j with a notice and keeps the rest", (params, notice) => {
    const { filters, notices } = parseAuditFilters(params);
    expect(notices).toEqual([notice]);
    expect(filters.page).toBe(1);
    expect(filters.action).toBeNull();
    expect(filters.to).toBeNull();
  });

  it("hands back each refused value with its message, for the form to show beside its field", () => {
    expect(parseAuditFilters({ from: "2026-11-30", to: "2026-11-01", page: "0" }).refused).toEqual({
      to: { value: "2026-11-01", message: 'it is before from "2026-11-30"' },
    });
    expect(parseAuditFilters({ action: "DROP TABLE", to: "yesterday" }).refused).toEqual({
      action: { value: "DROP TABLE", message: "not an action name" },
      to: { value: "yesterday", message: "use a date like 2026-11-30" },
    });
  });

  it("says why a range cannot end before it starts, the same in the browser and on the server", () => {
    expect(auditRangeError("2026-11-30", "2026-11-01")).toBe('it is before from "2026-11-30"');
    expect(auditRangeError("2026-11-30", "2026-11-30")).toBeNull();
    expect(auditRangeError(null, "2026-11-01")).toBeNull();
  });

  it("uses the first of a repeated parameter and says so", () => {
    const { filters, notices } = parseAuditFilters(new URLSearchParams("actor=a&actor=b"));
    expect(filters.actor).toBe("a");
    expect(notices).toEqual(['Parameter "actor" was given 2 times; used the first.']);
  });
});
