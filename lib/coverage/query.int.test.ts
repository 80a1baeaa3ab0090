import { beforeAll, describe, expect, it } from "vitest";
import { audit } from "@/lib/audit/log";
import { useFreshDatabase } from "@/test/db";
import { auditedCoverageRows, COVERAGE_CSV_COLUMNS, COVERAGE_EXPORT_ACTION } from "./export";
import { parseCoverageFilters } from "./filters";
import { fetchCoveragePage, fetchCoverageSummary } from "./query";

// Coverage over an estate written straight into the tables (what the collector and an organization
// sync would leave): one account-region in each state, and the account scope.

const db = useFreshDatabase();
const NOW = new Date("2026-12-02T12:00:00Z");
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3600_000);

const PROD = "111111111111";
const DENIED = "222222222222";
const OFF = "333333333333";
const GONE = "444444444444";
const ROOT = "r-ab12";
const PROD_OU = "ou-ab12-prod0001";
const PAY_OU = "ou-ab12-pay00001";

beforeAll(async () => {
  const p = db.prisma;
  await p.awsAccount.createMany({
    data: [
      {
        id: PROD,
        name: "Payments",
        regions: ["eu-west-1", "us-east-1", "ap-south-1", "eu-central-1"],
        ouPath: "Root / Prod / Payments",
        ouIds: [ROOT, PROD_OU, PAY_OU],
        orgStatus: "ACTIVE",
      },
      {
        id: DENIED,
        name: "Shared",
        regions: ["eu-west-1", "us-east-1"],
        accessMethod: "ROLE",
        roleArn: `arn:aws:iam::${DENIED}:role/KmsInsightsReadOnly`,
        externalIdCipher: "v1:not-a-real-cipher",
        ouPath: "Root / Prod",
        ouIds: [ROOT, PROD_OU],
      },
      { id: OFF, name: "Sandbox", regions: ["eu-west-1"], enabled: false },
      {
        id: GONE,
        name: "Old",
        regions: ["eu-west-1"],
        orgStatus: "SUSPENDED",
        ouPath: "Root",
        ouIds: [ROOT],
      },
    ],
  });
  await audit(p, { actorEmail: "ana@example.com", action: "account.disable", target: OFF });
  const state = (accountId: string, region: string, data: object) =>
    p.accountRegionState.create({ data: { accountId, region, ...data } });
  // PROD: eu-west-1 scanned 2 h ago (12 keys); us-east-1 last listed 30 h ago (stale); ap-south-1
  // throttled; eu-central-1 never scanned; me-south-1 discovered as a disabled opt-in region.
  await state(PROD, "eu-west-1", { lastAttemptAt: hoursAgo(2), lastSuccessAt: hoursAgo(2), keyCount: 12 });
  await state(PROD, "us-east-1", { lastAttemptAt: hoursAgo(30), lastSuccessAt: hoursAgo(30), keyCount: 3 });
  await state(PROD, "ap-south-1", {
    stale: true,
    lastAttemptAt: hoursAgo(1),
    lastSuccessAt: hoursAgo(50),
    lastError: "ListKeys failed: ThrottlingException: Rate exceeded",
    lastErrorCall: "kms:ListKeys",
    lastErrorCode: "ThrottlingException",
  });
  await state(PROD, "me-south-1", { optInStatus: "DISABLED", optInCheckedAt: hoursAgo(1) });
  // DENIED: the role cannot be assumed in eu-west-1; ListKeys refused in us-east-1.
  await state(DENIED, "eu-west-1", {
    stale: true,
    lastAttemptAt: hoursAgo(1),
    lastError: `Could not assume arn:aws:iam::${DENIED}:role/KmsInsightsReadOnly: AccessDenied — the role is missing. AWS said: AccessDenied: User: arn:aws:sts::999999999999:assumed-role/kms-insights-console/i-0abc is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${DENIED}:role/KmsInsightsReadOnly`,
    lastErrorCall: "sts:AssumeRole",
    lastErrorCode: "AccessDenied",
  });
  await state(DENIED, "us-east-1", {
    stale: true,
    lastAttemptAt: hoursAgo(1),
    lastError:
      "ListKeys failed: AccessDeniedException: User: arn:aws:sts::222222222222:assumed-role/KmsInsightsReadOnly/kms-insights is not authorized to perform: kms:ListKeys with an explicit deny in a service control policy",
    lastErrorCall: "kms:ListKeys",
    lastErrorCode: "AccessDeniedException",
  });
  // DENIED's eu-central-1: excluded by its organization's region deny-list.
  await state(DENIED, "eu-central-1", { excludedReason: "deny-list of organization Acme" });
  await state(GONE, "eu-west-1", { lastAttemptAt: hoursAgo(200), lastSuccessAt: hoursAgo(200), keyCount: 4 });
});

const read = (query: string, scope: readonly string[] | null = null) =>
  fetchCoveragePage(db.prisma, parseCoverageFilters(new URLSearchParams(query)).filters, scope, { now: NOW });
const stateOf = async (accountId: string, region: string) =>
  (await read("")).rows.find((r) => r.accountId === accountId && r.region === region);

describe("coverage", () => {
  it("gives every account × region its state, what needs a person first", async () => {
    const page = await read("");
    expect(page.rows.map((r) => [r.accountId, r.region, r.state])).toEqual([
      [DENIED, "eu-west-1", "ACCESS_DENIED"],
      [DENIED, "us-east-1", "ACCESS_DENIED"],
      [PROD, "ap-south-1", "ERROR"],
      [PROD, "eu-central-1", "NOT_SCANNED_YET"],
      [PROD, "us-east-1", "STALE"],
      [PROD, "eu-west-1", "SCANNED"],
      [PROD, "me-south-1", "REGION_NOT_ENABLED"],
      [GONE, "eu-west-1", "EXCLUDED"],
      [OFF, "eu-west-1", "EXCLUDED"],
      [DENIED, "eu-central-1", "EXCLUDED"],
    ]);
    expect(page.summary.text).toBe("1 of 6 account-regions scanned in the last 24 h");
    expect(page.summary.counts).toEqual({
      ACCESS_DENIED: 2,
      ERROR: 1,
      NOT_SCANNED_YET: 1,
      STALE: 1,
      SCANNED: 1,
      REGION_NOT_ENABLED: 1,
      EXCLUDED: 3,
    });
  });

  it("says when and how many keys, the failing call, code and message, and why excluded", async () => {
    expect(await stateOf(PROD, "eu-west-1")).toMatchObject({
      keyCount: 12,
      lastSuccessAt: hoursAgo(2),
      ouPath: "Root / Prod / Payments",
      fix: null,
    });
    expect(await stateOf(PROD, "ap-south-1")).toMatchObject({
      errorCall: "kms:ListKeys",
      errorCode: "ThrottlingException",
      error: "ListKeys failed: ThrottlingException: Rate exceeded",
      fix: null,
    });
    expect((await stateOf(OFF, "eu-west-1"))!.excluded).toMatch(
      /^Account disabled by ana@example\.com on \d{4}-/,
    );
    expect((await stateOf(GONE, "eu-west-1"))!.excluded).toBe("Organization status: SUSPENDED");
    expect((await stateOf(DENIED, "eu-central-1"))!.excluded).toBe("deny-list of organization Acme");
  });

  it("gives the missing trust statement for AssumeRole, with the console's role and the external id condition", async () => {
    const row = (await stateOf(DENIED, "eu-west-1"))!;
    expect(row).toMatchObject({ errorCall: "sts:AssumeRole", errorCode: "AccessDenied" });
    expect(row.fix!.summary).toContain(`arn:aws:iam::${DENIED}:role/KmsInsightsReadOnly`);
    expect(JSON.parse(row.fix!.statement)).toEqual({
      Effect: "Allow",
      Principal: { AWS: "arn:aws:iam::999999999999:role/kms-insights-console" },
      Action: "sts:AssumeRole",
      Condition: {
        StringEquals: { "sts:ExternalId": "<the external id set for this account in the console>" },
      },
    });
  });

  it("gives the policy statement with the denied KMS action, and names an explicit deny", async () => {
    const row = (await stateOf(DENIED, "us-east-1"))!;
    expect(JSON.parse(row.fix!.statement)).toEqual({
      Sid: "KmsInsightsRead",
      Effect: "Allow",
      Action: "kms:ListKeys",
      Resource: "*",
    });
    expect(row.fix!.summary).toContain("service control policy");
  });

  it("filters by state, account, region and OU (an OU includes its children), pages and counts", async () => {
    const denied = await read("state=access_denied&state=ERROR");
    expect(denied.rows.map((r) => r.state)).toEqual(["ACCESS_DENIED", "ACCESS_DENIED", "ERROR"]);
    expect(denied.total).toBe(3);
    // The summary is over the other filters: the state chips keep their numbers.
    expect(denied.summary.counts.SCANNED).toBe(1);

    const prodOu = await read(`ou=${PROD_OU}`);
    expect(new Set(prodOu.rows.map((r) => r.accountId))).toEqual(new Set([PROD, DENIED]));
    const payOu = await read(`ou=${PAY_OU}`);
    expect(new Set(payOu.rows.map((r) => r.accountId))).toEqual(new Set([PROD]));
    expect((await read(`ou=${ROOT}`)).rows.map((r) => r.accountId)).not.toContain(OFF);

    const region = await read(`region=eu-west-1&account=${PROD}`);
    expect(region.rows.map((r) => [r.accountId, r.region])).toEqual([[PROD, "eu-west-1"]]);

    const paged = await fetchCoveragePage(
      db.prisma,
      { ...parseCoverageFilters(new URLSearchParams()).filters, page: 2 },
      null,
      {
        now: NOW,
        pageSize: 4,
      },
    );
    expect(paged).toMatchObject({ total: 10, page: 2, pageCount: 3 });
    expect(paged.rows.map((r) => r.region)).toEqual(["us-east-1", "eu-west-1", "me-south-1", "eu-west-1"]);
  });

  it("shows only the accounts in scope, and nothing for an empty scope", async () => {
    const scoped = await read("", [PROD]);
    expect(new Set(scoped.rows.map((r) => r.accountId))).toEqual(new Set([PROD]));
    expect(scoped.summary.text).toBe("1 of 4 account-regions scanned in the last 24 h");
    const none = await fetchCoverageSummary(db.prisma, parseCoverageFilters({}).filters, [], NOW);
    expect(none.text).toBe("0 of 0 account-regions scanned in the last 24 h");
  });

  it("exports the view's rows within the scope as CSV cells, and audits the export", async () => {
    const rows = [];
    const filters = parseCoverageFilters(new URLSearchParams("state=ACCESS_DENIED")).filters;
    for await (const row of auditedCoverageRows(db.prisma, filters, [DENIED, PROD], { actorEmail: "cli" }))
      rows.push(COVERAGE_CSV_COLUMNS.map((c) => c.value(row)));
    const header = COVERAGE_CSV_COLUMNS.map((c) => c.header);
    expect(rows.map((r) => [r[header.indexOf("region")], r[header.indexOf("error_call")]])).toEqual([
      ["eu-west-1", "sts:AssumeRole"],
      ["us-east-1", "kms:ListKeys"],
    ]);
    expect(rows[0]![header.indexOf("fix")]).toContain('"Action": "sts:AssumeRole"');
    const none = [];
    for await (const row of auditedCoverageRows(db.prisma, filters, [PROD], { actorEmail: "cli" }))
      none.push(row);
    expect(none).toEqual([]);
    const entries = await db.prisma.auditLog.findMany({
      where: { action: COVERAGE_EXPORT_ACTION },
      orderBy: { id: "asc" },
    });
    expect(entries.map((e) => e.details)).toEqual([
      { rows: 2, completed: true },
      { rows: 0, completed: true },
    ]);
  });

  it("turns bad parameters into notices", () => {
    const { filters, notices } = parseCoverageFilters(
      new URLSearchParams("state=BROKEN&ou=ou-x&account=12&region=mars&page=0&other=1&state=scanned"),
    );
    expect(filters).toMatchObject({ states: ["SCANNED"], ous: [], accounts: [], regions: [], page: 1 });
    expect(notices).toHaveLength(6);
    expect(notices.join(" ")).toContain('Ignored ou "ou-x": use an organizational unit id');
  });
});

describe("an account its organization is closing", () => {
  it("is excluded like a suspended one: scans leave it out, so coverage does not count it as due", async () => {
    const CLOSING = "555555555555";
    await db.prisma.awsAccount.create({
      data: { id: CLOSING, name: "Closing", regions: ["eu-west-1"], orgStatus: "PENDING_CLOSURE" },
    });
    await db.prisma.accountRegionState.create({
      data: {
        accountId: CLOSING,
        region: "eu-west-1",
        lastAttemptAt: hoursAgo(2),
        lastSuccessAt: hoursAgo(2),
      },
    });
    try {
      expect(await stateOf(CLOSING, "eu-west-1")).toMatchObject({
        state: "EXCLUDED",
        excluded: "Organization status: PENDING_CLOSURE",
      });
      const summary = (await read("")).summary;
      expect(summary.text).toBe("1 of 6 account-regions scanned in the last 24 h");
      expect(summary.counts.EXCLUDED).toBe(4);
    } finally {
      await db.prisma.awsAccount.delete({ where: { id: CLOSING } });
    }
  });
});

describe("an account with no region known yet", () => {
  it("is listed once, with no region: excluded with its rule's reason, or not scanned yet", async () => {
    const RULED = "666666666666";
    const FRESH = "777777777777";
    const reason = 'In ou-ab12-sandbox1, excluded by organization "Acme".';
    await db.prisma.awsAccount.createMany({
      data: [
        { id: RULED, name: "Ruled out", regions: [], regionMode: "ALL_ENABLED", excludedReason: reason },
        { id: FRESH, name: "Fresh", regions: [], regionMode: "ALL_ENABLED" },
      ],
    });
    try {
      const rows = (await read("")).rows.filter((r) => r.accountId === RULED || r.accountId === FRESH);
      expect(rows.map((r) => [r.accountId, r.region, r.state, r.excluded])).toEqual([
        [FRESH, "", "NOT_SCANNED_YET", null],
        [RULED, "", "EXCLUDED", reason],
      ]);
      // A region filter leaves them out: they have none.
      expect((await read("region=eu-west-1")).rows.some((r) => r.accountId === RULED)).toBe(false);
    } finally {
      await db.prisma.awsAccount.deleteMany({ where: { id: { in: [RULED, FRESH] } } });
    }
  });
});
