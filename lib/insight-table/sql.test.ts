import { describe, expect, it } from "vitest";
import { EMPTY_FILTERS } from "./filters";
import { inScope, likeContains, orderBy, whereClause } from "./sql";

describe("likeContains", () => {
  it("lower-cases and escapes LIKE's wildcards and its escape character", () => {
    expect(likeContains("Alias/100%_Done\\x")).toBe("%alias/100\\%\\_done\\\\x%");
  });
});

describe("orderBy", () => {
  it("orders by severity rank, account, region and key id by default, then by id", () => {
    expect(orderBy(EMPTY_FILTERS).sql).toBe(
      "ORDER BY k.severity ASC, k.account_id ASC, k.region ASC, k.key_id ASC, k.id ASC",
    );
  });

  it("keeps absent dates last in both directions", () => {
    expect(orderBy({ sort: { column: "nextRotation", desc: true } }).sql).toBe(
      "ORDER BY k.next_rotation DESC NULLS LAST, k.id DESC",
    );
  });
});

describe("whereClause", () => {
  it("passes every user value as a parameter", () => {
    const hostile = "x'; DROP TABLE kms_keys; --";
    const where = whereClause(
      {
        ...EMPTY_FILTERS,
        accounts: ["111122223333"],
        regions: ["eu-west-1"],
        tag: hostile,
        tagValues: [hostile],
        q: hostile,
      },
      ["111122223333"],
    );
    expect(where.text).not.toContain("DROP");
    expect(where.values).toEqual(
      expect.arrayContaining([hostile, [hostile], ["111122223333"], ["eu-west-1"], likeContains(hostile)]),
    );
  });

  it("matches nothing for an empty scope and everything for no scope", () => {
    expect(inScope("k.account_id", []).text).toBe("k.account_id = ANY($1::char(12)[])");
    expect(inScope("k.account_id", []).values).toEqual([[]]);
    expect(inScope("k.account_id", null).text).toBe("TRUE");
  });
});
