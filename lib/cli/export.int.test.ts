import { PassThrough } from "node:stream";
import { beforeAll, describe, expect, it } from "vitest";
import { useFreshDatabase } from "@/test/db";
import { INSIGHT_CSV_COLUMNS } from "@/lib/csv";
import { INSIGHT_COLUMNS } from "@/lib/insight-table/columns";
import { createException } from "@/lib/exceptions/service";
import { EMPTY_FILTERS, type InsightFilters } from "@/lib/insight-table/filters";
import { saveSettings } from "@/lib/settings";
import { createUser } from "@/lib/users/service";
import { fetchInsightPage } from "@/lib/insight-table/query";
import { ACCOUNTS, seedInsightRows } from "@/test/fixtures/insight-rows";
import { parseRfc4180 } from "@/test/support/parse-rfc4180";
import { exportCommand } from "./export";
import { UsageError, type CliIO } from "./io";

const db = useFreshDatabase();

beforeAll(async () => {
  await seedInsightRows(db.prisma);
});

async function output(argv: string[]): Promise<{ code: number; text: string }> {
  const stdout = new PassThrough();
  const chunks: Buffer[] = [];
  stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
  const io: CliIO = { out: () => {}, err: () => {}, stdin: new PassThrough(), stdout };
  const code = await exportCommand(argv, { prisma: db.prisma, url: db.url }, io);
  return { code, text: Buffer.concat(chunks).toString("utf8") };
}

async function run(argv: string[]): Promise<{ code: number; records: string[][] }> {
  const { code, text } = await output(argv);
  expect(text.startsWith("\uFEFF")).toBe(true);
  return { code, records: parseRfc4180(text.slice(1)) };
}

describe("npm run cli -- export", () => {
  it("writes the header and exactly the rows of the table's view, all pages, in its order", async () => {
    const argv = ["--account", ACCOUNTS[0].id, "--account", ACCOUNTS[1].id, "--severity", "critical"];
    argv.push("--severity", "NOT_APPLICABLE", "--tag", "env", "--tag-value", "prod", "--tag-value", "qa");
    const { code, records } = await run(argv);
    expect(code).toBe(0);
    expect(records[0]).toEqual(INSIGHT_CSV_COLUMNS.map((c) => c.header));
    const view = await fetchInsightPage(
      db.prisma,
      {
        ...EMPTY_FILTERS,
        accounts: [ACCOUNTS[0].id, ACCOUNTS[1].id],
        severities: ["CRITICAL", "NOT_APPLICABLE"],
        tag: "env",
        tagValues: ["prod", "qa"],
        pageSize: 200,
      },
      null,
    );
    expect(view.total).toBeGreaterThan(1);
    expect(records.slice(1)).toEqual(view.rows.map((row) => INSIGHT_CSV_COLUMNS.map((c) => c.value(row))));
  });

  it("--ou exports the keys of the accounts in that OU, its children included", async () => {
    await db.prisma.awsAccount.update({
      where: { id: ACCOUNTS[0].id },
      data: { ouPath: "Root / Prod", ouIds: ["r-cli1", "ou-cli1-prod0001"] },
    });
    await db.prisma.awsAccount.update({
      where: { id: ACCOUNTS[1].id },
      data: { ouPath: "Root / Prod / Payments", ouIds: ["r-cli1", "ou-cli1-prod0001", "ou-cli1-paym0001"] },
    });
    try {
      const { code, records } = await run(["--ou", "ou-cli1-prod0001"]);
      expect(code).toBe(0);
      const account = INSIGHT_CSV_COLUMNS.findIndex((c) => c.header === "Account Id");
      const view = await fetchInsightPage(
        db.prisma,
        { ...EMPTY_FILTERS, accounts: [ACCOUNTS[0].id, ACCOUNTS[1].id], pageSize: 200 },
        null,
      );
      expect(records.slice(1).map((r) => r[account])).toEqual(view.rows.map((r) => r.accountId));
      expect(new Set(records.slice(1).map((r) => r[account]))).toEqual(
        new Set([ACCOUNTS[0].id, ACCOUNTS[1].id]),
      );
    } finally {
      await db.prisma.awsAccount.updateMany({ data: { ouPath: null, ouIds: [] } });
    }
  });

  it("exports every shown key with no filter, and records the export in the audit log", async () => {
    const { records } = await run(["--q", "alias/"]);
    const total = (await fetchInsightPage(db.prisma, { ...EMPTY_FILTERS, q: "alias/" }, null)).total;
    expect(records).toHaveLength(total + 1);
    const entry = await db.prisma.auditLog.findFirst({
      where: { action: "export.csv" },
      orderBy: { id: "desc" },
    });
    expect(entry).toMatchObject({
      actorEmail: "cli",
      details: { filters: "q=alias%2F", rows: total, completed: true },
    });
  });

  it("passes --status, --change with --since, and --overdue through to the table's view", async () => {
    await createUser(db.prisma, {
      email: "cli-owner@example.com",
      password: "owner password 1",
      role: "admin",
    });
    const target = await db.prisma.kmsKey.findFirstOrThrow({
      where: { goneAt: null, severity: "CRITICAL" },
      orderBy: { keyId: "asc" },
    });
    await createException(
      db.prisma,
      {
        kind: "accepted-risk",
        justification: "Test data only.",
        ownerEmail: "cli-owner@example.com",
        expires: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10),
        ticketUrl: "",
        scope: {
          keyArns: [target.arn],
          accounts: [],
          regions: [],
          tagKey: null,
          tagValues: [],
          aliasPrefix: null,
        },
      },
      { actorEmail: "cli", role: "ADMIN", scope: null },
    );
    // Every CRITICAL finding failing for more than a day is overdue.
    await saveSettings(db.prisma, { "sla.criticalDays": 1 }, { actorEmail: "test" });
    const cases: [string[], Partial<InsightFilters>][] = [
      [["--status", "excepted"], { statuses: ["excepted"] }],
      [["--status", "open", "--overdue"], { statuses: ["open"], overdue: "1" }],
      [["--change", "new", "--since", "2020-01-01"], { changes: ["new"], since: "2020-01-01" }],
    ];
    for (const [argv, filters] of cases) {
      const { records } = await run(argv);
      const view = await fetchInsightPage(db.prisma, { ...EMPTY_FILTERS, ...filters, pageSize: 200 }, null);
      expect(view.total, argv.join(" ")).toBeGreaterThan(0);
      expect(view.total, argv.join(" ")).toBeLessThan(45);
      expect(records.slice(1), argv.join(" ")).toEqual(
        view.rows.map((row) => INSIGHT_CSV_COLUMNS.map((c) => c.value(row))),
      );
    }
    const arn = INSIGHT_COLUMNS.findIndex((c) => c.id === "arn");
    const excepted = (await run(["--status", "excepted"])).records;
    expect(excepted.slice(1).map((r) => r[arn])).toEqual([target.arn]);
  });

  it.each([
    [["--status", "closed"], '--status "closed": use open, excepted, resolved, passing.'],
    [["--change", "fixed"], '--change "fixed": use new, resolved, reopened.'],
    [["--since", "2026-11-01"], "--since needs --change."],
    [
      ["--change", "new", "--since", "yesterday"],
      '--since "yesterday": use a scan id or a date such as 2026-11-30.',
    ],
    [["--account", "123"], '--account "123": an account id is 12 digits.'],
    [["--severity", "SEVERE"], '--severity "SEVERE": use CRITICAL, WARNING, OK, NOT_APPLICABLE.'],
    [["--tag-value", "prod"], "--tag-value needs --tag."],
    [["--region", "mars-1"], '--region "mars-1": not an AWS region name.'],
    [["--ou", "Prod"], '--ou "Prod": use an organizational unit id (ou-…) or a root id (r-…).'],
  ])("refuses %j with one line", async (argv, message) => {
    await expect(run(argv)).rejects.toThrow(new UsageError(message));
  });

  it.each([
    ["jsonl", (r: Record<string, unknown>) => r.arn],
    ["ocsf", (r: Record<string, unknown>) => (r.resources as { uid: string }[])[0]!.uid],
    ["asff", (r: Record<string, unknown>) => (r.Resources as { Id: string }[])[0]!.Id],
  ] as const)("--format %s writes one finding a line for the same rows, audited", async (format, arnOf) => {
    const { code, text } = await output([
      "--format",
      format,
      "--severity",
      "WARNING",
      "--region",
      "us-east-1",
    ]);
    expect(code).toBe(0);
    const records = text
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const view = await fetchInsightPage(
      db.prisma,
      { ...EMPTY_FILTERS, severities: ["WARNING"], regions: ["us-east-1"], pageSize: 200 },
      null,
    );
    expect(view.total).toBeGreaterThan(1);
    expect(records.map(arnOf)).toEqual(view.rows.map((row) => row.arn));
    const entry = await db.prisma.auditLog.findFirst({
      where: { action: `export.${format}` },
      orderBy: { id: "desc" },
    });
    expect(entry).toMatchObject({ actorEmail: "cli", details: { rows: view.total, completed: true } });
  });

  it("refuses an unknown --format with the list of formats", async () => {
    await expect(output(["--format", "xml"])).rejects.toThrow(
      new UsageError('--format "xml": use csv, jsonl, ocsf, asff.'),
    );
  });

  it("refuses an unknown flag", async () => {
    await expect(run(["--page", "2"])).rejects.toMatchObject({ code: "ERR_PARSE_ARGS_UNKNOWN_OPTION" });
  });
});
