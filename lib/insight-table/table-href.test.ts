import { describe, expect, it } from "vitest";
import { EMPTY_FILTERS } from "./filters";
import {
  clearedInsightTableHref,
  exceptedHref,
  findingChangeHref,
  exportFormatHref,
  fixCommandsHref,
  insightExportHref,
  insightTableHref,
  backToTableHref,
  keyHref,
  newExceptionHref,
  overdueHref,
} from "./table-href";

describe("insightTableHref", () => {
  it("is the bare table without filters", () => {
    expect(insightTableHref()).toBe("/insights/kms-key-rotation");
  });

  it("writes the table's URL contract: repeated account, severity, region, tag and value", () => {
    expect(
      insightTableHref({
        accounts: ["012345678901"],
        severities: ["CRITICAL", "WARNING"],
        regions: ["eu-west-1"],
        tag: "team",
        tagValues: ["a&b c"],
      }),
    ).toBe(
      "/insights/kms-key-rotation?account=012345678901&severity=CRITICAL&severity=WARNING&region=eu-west-1&tag=team&tagValue=a%26b+c",
    );
  });

  it("keeps a tag value only with its tag key, and an empty value with it", () => {
    expect(insightTableHref({ tagValues: ["x"] })).toBe("/insights/kms-key-rotation");
    expect(insightTableHref({ tag: "env", tagValues: [""] })).toBe(
      "/insights/kms-key-rotation?tag=env&tagValue=",
    );
  });

  it("writes the triage filters: repeated status and change, since only with a change, overdue", () => {
    expect(
      insightTableHref({
        statuses: ["open", "excepted"],
        changes: ["new", "reopened"],
        since: "2026-11-01",
        overdue: "1",
      }),
    ).toBe(
      "/insights/kms-key-rotation?status=open&status=excepted&change=new&change=reopened&since=2026-11-01&overdue=1",
    );
    expect(insightTableHref({ since: "2026-11-01" })).toBe("/insights/kms-key-rotation");
  });

  it("writes the sort and paging only where they are not the defaults", () => {
    expect(insightTableHref({ sort: { column: "region", desc: true }, page: 2, pageSize: 25 })).toBe(
      "/insights/kms-key-rotation?sort=-region&page=2&pageSize=25",
    );
  });
});

describe("clearedInsightTableHref", () => {
  it("drops the filters and the page, and keeps the sort and page size", () => {
    const filters = {
      ...EMPTY_FILTERS,
      accounts: ["012345678901"],
      q: "x",
      sort: { column: "keyId" as const, desc: false },
      page: 3,
      pageSize: 100 as const,
    };
    expect(clearedInsightTableHref(filters)).toBe("/insights/kms-key-rotation?sort=keyId&pageSize=100");
  });
});

describe("insightExportHref", () => {
  it("is the CSV of the same filters and sort, without paging", () => {
    const filters = { ...EMPTY_FILTERS, severities: ["OK" as const], page: 4, pageSize: 25 as const };
    expect(insightExportHref(filters)).toBe("/insights/kms-key-rotation/export.csv?severity=OK");
  });

  it("names another finding format on the export route, with the same filters", () => {
    const filters = { ...EMPTY_FILTERS, severities: ["OK" as const], tag: "env", tagValues: ["a b"] };
    expect(insightExportHref(filters, "ocsf")).toBe(
      "/insights/kms-key-rotation/export?severity=OK&tag=env&tagValue=a+b&format=ocsf",
    );
    expect(exportFormatHref("/insights/kms-key-rotation/export.csv", "asff")).toBe(
      "/insights/kms-key-rotation/export?format=asff",
    );
    expect(exportFormatHref("/insights/kms-key-rotation/export.csv?q=x", "csv")).toBe(
      "/insights/kms-key-rotation/export.csv?q=x",
    );
  });
});

describe("keyHref", () => {
  it("escapes the id", () => {
    expect(keyHref("ck1 /x")).toBe("/keys/ck1%20%2Fx");
  });
});

describe("newExceptionHref", () => {
  it("names each key once per parameter, escaped", () => {
    expect(
      newExceptionHref([
        "arn:aws:kms:eu-west-1:111122223333:key/a",
        "arn:aws:kms:us-east-1:111122223333:key/mrk-b",
      ]),
    ).toBe(
      "/exceptions/new?key=arn%3Aaws%3Akms%3Aeu-west-1%3A111122223333%3Akey%2Fa&key=arn%3Aaws%3Akms%3Aus-east-1%3A111122223333%3Akey%2Fmrk-b",
    );
    expect(newExceptionHref([])).toBe("/exceptions/new");
  });
});

describe("triage links", () => {
  it("name every severity for a change since the previous scan, and no since", () => {
    expect(findingChangeHref("resolved")).toBe(
      "/insights/kms-key-rotation?severity=CRITICAL&severity=WARNING&severity=OK&severity=NOT_APPLICABLE&change=resolved",
    );
  });

  it("open the overdue and excepted findings", () => {
    expect(overdueHref()).toBe("/insights/kms-key-rotation?overdue=1");
    expect(exceptedHref()).toBe("/insights/kms-key-rotation?status=excepted");
  });
});

describe("the way back from a key's page", () => {
  const view = {
    ...EMPTY_FILTERS,
    severities: ["CRITICAL" as const],
    tag: "env",
    tagValues: ["prod", "a&b"],
    page: 2,
  };

  it("carries the table's view in the key's link and returns to it", () => {
    const href = keyHref("ckey1", view);
    const from = new URL(href, "http://x").searchParams.get("from")!;
    expect(from).toBe("severity=CRITICAL&tag=env&tagValue=prod&tagValue=a%26b&page=2");
    expect(backToTableHref(from)).toBe(insightTableHref(view));
    expect(keyHref("ckey1", EMPTY_FILTERS)).toBe("/keys/ckey1");
  });

  it("is the plain table without a view, and never another address", () => {
    expect(backToTableHref(undefined)).toBe("/insights/kms-key-rotation");
    for (const from of [
      "https://evil.example/",
      "//evil.example",
      "/admin?x=1",
      "javascript:alert(1)",
      "severity=CRITICAL&next=https://evil.example",
      "x".repeat(20_000),
    ]) {
      const back = backToTableHref(from);
      expect(back.startsWith("/insights/kms-key-rotation"), from).toBe(true);
      expect(back).not.toContain("evil");
    }
    expect(backToTableHref("severity=CRITICAL&next=https://evil.example")).toBe(
      "/insights/kms-key-rotation?severity=CRITICAL",
    );
    expect(backToTableHref(["severity=WARNING", "severity=OK"])).toBe(
      "/insights/kms-key-rotation?severity=WARNING",
    );
  });
});

describe("fixCommandsHref", () => {
  it("is the script of every page of the view, with the period when one is chosen", () => {
    const view = { ...EMPTY_FILTERS, severities: ["CRITICAL" as const], page: 3 };
    expect(fixCommandsHref(view)).toBe("/insights/kms-key-rotation/fix-commands.sh?severity=CRITICAL");
    expect(fixCommandsHref(view, "180")).toBe(
      "/insights/kms-key-rotation/fix-commands.sh?severity=CRITICAL&period=180",
    );
  });
});
