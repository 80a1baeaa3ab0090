import { describe, expect, it } from "vitest";
import { likeContains } from "./filter-defs";
import { EMPTY_FILTERS } from "./filters";
import { inScope, whereClause } from "./predicates";
import { orderBy } from "./sort-order";

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

describe("the tag conditions", () => {
  it("ask one tag row for the key and its values together", () => {
    const where = whereClause({ ...EMPTY_FILTERS, tag: "env", tagValues: ["prod", ""] }, null);
    expect(where.text).toMatch(
      /EXISTS \(SELECT 1 FROM key_tags t WHERE t\.kms_key_id = k\.id AND t\.tag_key = \$\d+ AND t\.tag_value = ANY\(\$\d+::text\[\]\)\)/,
    );
    expect(where.text.match(/key_tags/g)).toHaveLength(1);
  });

  it("leave out tag values without a tag key", () => {
    expect(whereClause({ ...EMPTY_FILTERS, tagValues: ["prod"] }, null).text).not.toContain("key_tags");
  });
});
