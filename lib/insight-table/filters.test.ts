import { describe, expect, it } from "vitest";
import {
  DEFAULT_SORT,
  EMPTY_FILTERS,
  exportFilters,
  MAX_VALUES,
  parseInsightFilters,
  SORTABLE_COLUMNS,
  toSearchParams,
} from "./filters";

const parse = (query: string) => parseInsightFilters(new URLSearchParams(query));

describe("parseInsightFilters", () => {
  it("gives the defaults and no notice for an empty query", () => {
    expect(parse("")).toEqual({ filters: EMPTY_FILTERS, notices: [] });
  });

  it("reads every parameter", () => {
    const { filters, notices } = parse(
      "account=111122223333&account=444455556666&ou=ou-ab12-prod0001&ou=r-ab12&severity=CRITICAL&severity=warning&region=eu-west-1" +
        "&region=us-gov-west-1&tag=Environment&tagValue=prod&tagValue=&q=%20alias/orders%20" +
        "&status=open&status=EXCEPTED&change=new&change=reopened&since=2026-11-01&overdue=1" +
        "&sort=-nextRotation&page=3&pageSize=200&after=eyJ2IjoiYWJj",
    );
    expect(notices).toEqual([]);
    expect(filters).toEqual({
      accounts: ["111122223333", "444455556666"],
      ous: ["ou-ab12-prod0001", "r-ab12"],
      severities: ["CRITICAL", "WARNING"],
      statuses: ["open", "excepted"],
      regions: ["eu-west-1", "us-gov-west-1"],
      tag: "Environment",
      tagValues: ["prod", ""],
      changes: ["new", "reopened"],
      since: "2026-11-01",
      overdue: "1",
      q: "alias/orders",
      sort: { column: "nextRotation", desc: true },
      page: 3,
      pageSize: 200,
      after: "eyJ2IjoiYWJj",
    });
  });

  it("reads a page's cursor only past the first page, and refuses what is not one", () => {
    expect(parse("after=eyJ2IjoiYWJj")).toEqual({ filters: EMPTY_FILTERS, notices: [] });
    expect(parse("page=2&after=no%20cursor")).toEqual({
      filters: { ...EMPTY_FILTERS, page: 2 },
      notices: ['Ignored after "no cursor": not a page\'s cursor.'],
    });
    expect(toSearchParams({ ...EMPTY_FILTERS, page: 1, after: "eyJ2" }).toString()).toBe("");
    expect(toSearchParams({ ...EMPTY_FILTERS, page: 2, after: "eyJ2" }).toString()).toBe("page=2&after=eyJ2");
  });

  it("reads Next's searchParams record the same way", () => {
    const record = { account: ["111122223333", "444455556666"], tag: "env", tagValue: "prod", q: undefined };
    const { filters, notices } = parseInsightFilters(record);
    expect(notices).toEqual([]);
    expect(filters).toMatchObject({
      accounts: ["111122223333", "444455556666"],
      tag: "env",
      tagValues: ["prod"],
    });
  });

  it("ignores an unknown parameter with a notice", () => {
    const { filters, notices } = parse("foo=1&severity=OK");
    expect(filters.severities).toEqual(["OK"]);
    expect(notices).toEqual(['Ignored unknown parameter "foo".']);
  });

  it.each([
    ["account=12345", 'Ignored account "12345": an account id is 12 digits.'],
    ["account=1111222233334", 'Ignored account "1111222233334": an account id is 12 digits.'],
    ["severity=SEVERE", 'Ignored severity "SEVERE": use CRITICAL, WARNING, OK, NOT_APPLICABLE.'],
    ["status=closed", 'Ignored status "closed": use open, excepted, resolved, passing.'],
    ["change=fixed", 'Ignored change "fixed": use new, resolved, reopened.'],
    ["since=2026-11-01", "Ignored since: choose a change first."],
    ["overdue=yes", 'Ignored overdue "yes": use 1.'],
    ["region=Europe", 'Ignored region "Europe": not an AWS region name.'],
    ["ou=Prod", 'Ignored ou "Prod": use an organizational unit id (ou-…) or a root id (r-…).'],
    [
      "ou=ou-ab12-'%20OR%201=1",
      `Ignored ou "ou-ab12-' OR 1=1": use an organizational unit id (ou-…) or a root id (r-…).`,
    ],
    ["sort=tags", 'Ignored sort "tags": not a sortable column.'],
    ["sort=name;DROP", 'Ignored sort "name;DROP": not a column.'],
    ["page=0", 'Ignored page "0": must be a whole number from 1.'],
    ["page=-2", 'Ignored page "-2": must be a whole number from 1.'],
    ["page=1e3", 'Ignored page "1e3": must be a whole number from 1.'],
    ["pageSize=75", 'Ignored pageSize "75": use 25, 50, 100, 200.'],
    ["tagValue=prod", "Ignored tagValue: choose a tag first."],
  ])("drops a bad value with a notice: %s", (query, notice) => {
    const { filters, notices } = parse(query);
    expect(notices).toEqual([notice]);
    expect(filters).toEqual(EMPTY_FILTERS);
  });

  it.each(["yesterday", "2026-02-31", "2026-11-30T25:00Z", "c-not-a-scan"])(
    "drops a since that is neither a scan id nor a date: %s",
    (since) => {
      const { filters, notices } = parse(`change=new&since=${encodeURIComponent(since)}`);
      expect(notices).toEqual([`Ignored since "${since}": use a scan id or a date such as 2026-11-30.`]);
      expect(filters).toEqual({ ...EMPTY_FILTERS, changes: ["new"] });
    },
  );

  it("keeps a scan id or a date as since", () => {
    for (const since of ["cmiabc123def456ghi789jkl0", "2026-11-30", "2026-11-30T08:00:00Z"])
      expect(parse(`change=resolved&since=${since}`)).toEqual({
        filters: { ...EMPTY_FILTERS, changes: ["resolved"], since },
        notices: [],
      });
  });

  it("keeps the good values of a repeated parameter and drops the bad ones", () => {
    const { filters, notices } = parse("account=111122223333&account=x&account=111122223333");
    expect(filters.accounts).toEqual(["111122223333"]);
    expect(notices).toEqual(['Ignored account "x": an account id is 12 digits.']);
  });

  it("uses the first of a repeated single-valued parameter, with a notice", () => {
    const { filters, notices } = parse("tag=env&tag=team&q=a&q=b");
    expect(filters.tag).toBe("env");
    expect(filters.q).toBe("a");
    expect(notices).toEqual([
      'Parameter "tag" was given 2 times; used the first.',
      'Parameter "q" was given 2 times; used the first.',
    ]);
  });

  it("treats empty fields as no choice, except a tag value, which may be empty", () => {
    const { filters, notices } = parse("account=&severity=&q=&sort=&page=&pageSize=&tag=&tagValue=");
    expect(filters).toEqual(EMPTY_FILTERS);
    expect(notices).toEqual(["Ignored tagValue: choose a tag first."]);
    expect(parse("q=%20%20").filters.q).toBeNull();
  });

  it("bounds lengths: tag 128, tag value and q 256", () => {
    const ok = parse(`tag=${"k".repeat(128)}&tagValue=${"v".repeat(256)}&q=${"q".repeat(256)}`);
    expect(ok.notices).toEqual([]);
    const long = parse(`tag=${"k".repeat(129)}&q=${"q".repeat(257)}`);
    expect(long.filters.tag).toBeNull();
    expect(long.filters.q).toBeNull();
    expect(long.notices).toEqual([
      `Ignored tag "${"k".repeat(40)}…": longer than 128 characters.`,
      `Ignored q "${"q".repeat(40)}…": longer than 256 characters.`,
    ]);
  });

  it("keeps at most MAX_VALUES values of a repeated parameter", () => {
    const query = Array.from({ length: MAX_VALUES + 5 }, (_, i) => `region=eu-west-${i}`).join("&");
    const { filters, notices } = parse(query);
    expect(filters.regions).toHaveLength(MAX_VALUES);
    expect(notices).toContain(
      `Parameter "region" was given ${MAX_VALUES + 5} times; used the first ${MAX_VALUES}.`,
    );
  });

  it("keeps hostile text as data and never throws", () => {
    const hostile = [
      "q=' OR 1=1; DROP TABLE kms_keys; --",
      "tag=%E2%80%AEevil&tagValue=%F0%9F%94%91%20%D0%BA%D0%BB%D1%8E%D1%87",
      "q=%25_%5C",
      `q=${"x".repeat(1_000_000)}`,
      "q=a%00b",
      "sort=__proto__&constructor=1&__proto__=1",
      "page=99999999999999999999&pageSize=50.0",
      "%ED%A0%80=%ED%A0%80",
    ];
    for (const query of hostile) expect(() => parse(query)).not.toThrow();
    expect(parse(hostile[0]!).filters.q).toBe("' OR 1=1; DROP TABLE kms_keys; --");
    expect(parse(hostile[1]!).filters).toMatchObject({ tag: "\u202Eevil", tagValues: ["🔑 ключ"] });
    expect(parse(hostile[2]!).filters.q).toBe("%_\\");
    expect(parse("q=a%00b").notices).toEqual(['Ignored q "a\\u0000b": contains a NUL character.']);
    expect(parse(hostile[5]!).notices).toHaveLength(3);
    expect(parse(hostile[6]!).filters).toEqual(EMPTY_FILTERS);
  });

  it("caps the number of notices", () => {
    const query = Array.from({ length: 50 }, (_, i) => `unknown${i}=1`).join("&");
    const { notices } = parse(query);
    expect(notices).toHaveLength(10);
    expect(notices[9]).toBe("…and 41 more ignored parameters.");
  });
});

describe("toSearchParams", () => {
  it("leaves defaults out", () => {
    expect(toSearchParams(EMPTY_FILTERS).toString()).toBe("");
  });

  it("round-trips through the parser", () => {
    const query =
      "account=111122223333&severity=NOT_APPLICABLE&region=eu-west-1&tag=team&tagValue=Team+%CE%A9" +
      "&tagValue=&q=alias%2F%25&sort=-accountName&page=2&pageSize=25";
    const { filters } = parse(query);
    expect(toSearchParams(filters).toString()).toBe(query);
    expect(parseInsightFilters(toSearchParams(filters)).filters).toEqual(filters);
  });

  it("writes tag values only with their tag", () => {
    expect(toSearchParams({ ...EMPTY_FILTERS, tagValues: ["x"] }).toString()).toBe("");
  });

  it("round-trips every sortable column in both directions", () => {
    for (const column of SORTABLE_COLUMNS) {
      for (const desc of [false, true]) {
        const filters = { ...EMPTY_FILTERS, sort: { column, desc } };
        expect(parseInsightFilters(toSearchParams(filters)).filters.sort).toEqual({ column, desc });
      }
    }
    expect(toSearchParams({ ...EMPTY_FILTERS, sort: DEFAULT_SORT }).has("sort")).toBe(false);
  });
});

describe("exportFilters", () => {
  it("keeps the filters and the sort, and drops paging: an export holds every page", () => {
    const { filters } = parse("severity=OK&sort=-region&page=4&pageSize=25&after=eyJ2");
    expect(toSearchParams(exportFilters(filters)).toString()).toBe("severity=OK&sort=-region");
  });
});
