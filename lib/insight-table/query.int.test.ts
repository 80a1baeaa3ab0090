import { beforeAll, describe, expect, it } from "vitest";
import { useFreshDatabase } from "@/test/db";
import {
  ACCOUNTS,
  EMPTY_ACCOUNT,
  type FixtureKey,
  REGIONS,
  seedInsightRows,
} from "@/test/fixtures/insight-rows";
import type { AccountScope } from "@/lib/auth/account-scope";
import { EMPTY_FILTERS, type InsightFilters, parseInsightFilters } from "./filters";
import { fetchFilterOptions, fetchInsightPage, fetchTagKeys, fetchTagValues, insightState } from "./query";

const db = useFreshDatabase();
let live: FixtureKey[];
const [A, B, C] = ACCOUNTS.map((a) => a.id) as [string, string, string];

beforeAll(async () => {
  ({ live } = await seedInsightRows(db.prisma));
});

/** Ids of every matching row (one page of 200 holds them all), as a sorted list. */
async function ids(filters: Partial<InsightFilters>, scope: AccountScope = null): Promise<string[]> {
  const page = await fetchInsightPage(db.prisma, { ...EMPTY_FILTERS, pageSize: 200, ...filters }, scope);
  expect(page.total).toBe(page.rows.length);
  return page.rows.map((row) => row.id).sort();
}
const shown = (k: FixtureKey) => k.severity !== "NOT_APPLICABLE";
/** The fixture's answer, never empty (a test that expects nothing says `[]`). */
function expected(predicate: (k: FixtureKey) => boolean): string[] {
  const list = live.filter(predicate).map((k) => k.id);
  expect(list.length).toBeGreaterThan(0);
  return list.sort();
}
const hasTag = (k: FixtureKey, key: string, values?: string[]) =>
  k.tagList.some((t) => t.key === key && (!values || values.includes(t.value)));

describe("fetchInsightPage filters", () => {
  it("shows live keys only, and hides NOT_APPLICABLE unless it is chosen", async () => {
    expect(await ids({})).toEqual(expected(shown));
    expect(await ids({})).toHaveLength(45);
    expect(await ids({ severities: ["NOT_APPLICABLE"] })).toEqual(
      expected((k) => k.severity === "NOT_APPLICABLE"),
    );
    expect(await ids({ severities: ["CRITICAL", "NOT_APPLICABLE"] })).toEqual(
      expected((k) => ["CRITICAL", "NOT_APPLICABLE"].includes(k.severity)),
    );
  });

  it("filters by account, region and severity, alone and combined", async () => {
    expect(await ids({ accounts: [B] })).toEqual(expected((k) => shown(k) && k.accountId === B));
    expect(await ids({ regions: ["us-east-1"] })).toEqual(
      expected((k) => shown(k) && k.region === "us-east-1"),
    );
    expect(await ids({ accounts: [A, C], regions: ["eu-west-1"], severities: ["WARNING"] })).toEqual(
      expected((k) => [A, C].includes(k.accountId) && k.region === "eu-west-1" && k.severity === "WARNING"),
    );
    expect(await ids({ accounts: [EMPTY_ACCOUNT.id] })).toEqual([]);
  });

  it("filters by tag key, and by its values (an empty value too)", async () => {
    expect(await ids({ tag: "env" })).toEqual(expected((k) => shown(k) && hasTag(k, "env")));
    expect(await ids({ tag: "env", tagValues: ["prod"] })).toEqual(
      expected((k) => shown(k) && hasTag(k, "env", ["prod"])),
    );
    expect(await ids({ tag: "team", tagValues: [""] })).toEqual(
      expected((k) => shown(k) && hasTag(k, "team", [""])),
    );
    expect(await ids({ tag: "team", tagValues: ["payments", ""], accounts: [B] })).toEqual(
      expected((k) => shown(k) && hasTag(k, "team") && k.accountId === B),
    );
    expect(await ids({ tag: "Env" })).toEqual([]);
    expect(await ids({ tag: "retired" })).toEqual([]); // only a gone key carries it
  });

  it("searches key id, alias and ARN, case-insensitively, with LIKE wildcards taken literally", async () => {
    const key = live[20]!;
    expect(await ids({ q: key.keyId.slice(0, 8).toUpperCase() })).toEqual([key.id]);
    expect(await ids({ q: "ALIAS/APP-" })).toEqual(
      expected((k) => shown(k) && k.aliases[0]?.startsWith("alias/app-") === true),
    );
    expect(await ids({ q: `kms:us-east-1:${B}` })).toEqual(
      expected((k) => shown(k) && k.accountId === B && k.region === "us-east-1"),
    );
    expect(await ids({ q: "_" })).toEqual([live[5]!.id]);
    expect(await ids({ q: "%" })).toEqual([live[7]!.id]);
    expect(await ids({ q: "100%-done" })).toEqual([live[7]!.id]);
    expect(await ids({ q: "app-gone" })).toEqual([]);
    expect(await ids({ q: "\\" })).toEqual([]);
  });

  it("passes hostile text as data", async () => {
    const { filters } = parseInsightFilters(
      new URLSearchParams({ q: "'; DROP TABLE kms_keys; --", tag: "env' OR '1'='1", tagValue: "\u202E🔑" }),
    );
    expect(await ids(filters)).toEqual([]);
    expect(await ids({})).toHaveLength(45);
  });
});

describe("fetchInsightPage paging", () => {
  it("pages the rows with the total, and the pages add up to the whole", async () => {
    const first = await fetchInsightPage(db.prisma, { ...EMPTY_FILTERS, pageSize: 25 }, null);
    const second = await fetchInsightPage(db.prisma, { ...EMPTY_FILTERS, pageSize: 25, page: 2 }, null);
    expect([first.total, first.pageCount, first.rows.length, first.page]).toEqual([45, 2, 25, 1]);
    expect([second.rows.length, second.page]).toEqual([20, 2]);
    expect([...first.rows, ...second.rows].map((r) => r.id).sort()).toEqual(expected(shown));
  });

  it("shows the last page for a page past the end", async () => {
    const page = await fetchInsightPage(db.prisma, { ...EMPTY_FILTERS, pageSize: 25, page: 99 }, null);
    expect([page.page, page.rows.length]).toEqual([2, 20]);
  });

  it("gives one empty page for no match", async () => {
    const page = await fetchInsightPage(db.prisma, { ...EMPTY_FILTERS, q: "no such key" }, null);
    expect([page.total, page.pageCount, page.page, page.rows]).toEqual([0, 1, 1, []]);
  });

  it("maps every column of a row", async () => {
    const key = live.find(
      (k) => k.severity === "OK" && k.lastRotation && k.tagList.length && k.aliases.length,
    )!;
    const { rows } = await fetchInsightPage(
      db.prisma,
      { ...EMPTY_FILTERS, q: key.keyId, severities: [key.severity] },
      null,
    );
    expect(rows).toEqual([
      {
        id: key.id,
        severity: key.severity,
        accountId: key.accountId,
        accountName: ACCOUNTS.find((a) => a.id === key.accountId)!.name,
        region: key.region,
        keyId: key.keyId,
        aliases: key.aliases,
        rotationStatus: key.rotationStatus,
        rotationPeriodDays: key.rotationPeriodDays,
        nextRotation: key.nextRotation,
        lastRotation: key.lastRotation,
        keyManager: key.keyManager,
        keySpec: key.keySpec,
        keyState: key.keyState,
        origin: key.origin,
        tags: key.tagList,
        reason: key.reason,
        description: key.findingDescription,
        arn: key.arn,
        lastEvaluated: key.evaluatedAt,
        status: "passing",
        firstSeen: null,
        openForDays: null,
        due: null,
        overdue: false,
        resolvedReason: null,
        exceptionExpiredAt: null,
        exception: null,
        primary: null,
      },
    ]);
  });
});

describe("account scope", () => {
  it("restricts every query to the scope's accounts; an empty scope sees nothing", async () => {
    expect(await ids({}, [A])).toEqual(expected((k) => shown(k) && k.accountId === A));
    expect(await ids({ accounts: [B] }, [A])).toEqual([]);
    expect(await ids({}, [])).toEqual([]);
    expect((await fetchFilterOptions(db.prisma, [B])).accounts).toEqual([{ id: B, name: "Bravo" }]);
    expect((await fetchFilterOptions(db.prisma, [])).accounts).toEqual([]);
    expect(await fetchTagKeys(db.prisma, [])).toEqual([]);
    expect(await fetchTagValues(db.prisma, "env", [])).toEqual([]);
  });
});

describe("filter options", () => {
  it("lists the accounts by name and their regions", async () => {
    expect(await fetchFilterOptions(db.prisma, null)).toEqual({
      accounts: [...ACCOUNTS, EMPTY_ACCOUNT].map(({ id, name }) => ({ id, name })),
      regions: [...REGIONS],
      ous: [], // no account of this estate is in an organization
    });
  });

  it("lists the tag keys of live keys, and only the chosen key's values", async () => {
    expect(await fetchTagKeys(db.prisma, null)).toEqual(["env", "huge", "team"]);
    expect(await fetchTagValues(db.prisma, "huge", null)).toEqual([]);
    expect(await fetchTagValues(db.prisma, "env", null)).toEqual(["dev", "prod", "qa"]);
    expect(await fetchTagValues(db.prisma, "team", null)).toEqual(["", "payments"]);
    expect(await fetchTagValues(db.prisma, "retired", null)).toEqual([]);
    // Only Bravo's keys carry "team".
    expect(await fetchTagValues(db.prisma, "team", [B])).toEqual(["", "payments"]);
    expect(await fetchTagValues(db.prisma, "team", [C])).toEqual([]);
    expect(await fetchTagKeys(db.prisma, [C])).toEqual(["env", "huge"]);
  });
});

describe("insightState", () => {
  it("tells no accounts, no scan and no keys apart", async () => {
    expect(await insightState(db.prisma, null)).toEqual({
      hasAccounts: true,
      hasCompletedScan: true,
      scanRunning: false,
      hasKeys: true,
    });
    expect(await insightState(db.prisma, [EMPTY_ACCOUNT.id])).toEqual({
      hasAccounts: true,
      hasCompletedScan: false,
      scanRunning: false,
      hasKeys: false,
    });
    expect(await insightState(db.prisma, [])).toMatchObject({ hasAccounts: false, hasKeys: false });
  });
});
