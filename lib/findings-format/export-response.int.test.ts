import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createExportPool, type ExportPool } from "@/lib/db/export-pool";
import { EMPTY_FILTERS } from "@/lib/insight-table/filters";
import { fetchInsightPage } from "@/lib/insight-table/query";
import { saveSettings } from "@/lib/settings";
import { useFreshDatabase } from "@/test/db";
import { ACCOUNTS, seedInsightRows } from "@/test/fixtures/insight-rows";
import { findingsExportResponse } from "./export-response";
import { asffFindingSchema } from "./schemas/asff";
import { ocsfDetectionFindingSchema } from "./schemas/ocsf-detection-finding";

// The export route's answer (everything but the session) against a real database: each format
// streams exactly the rows of the view's filters within the user's accounts, named and typed as
// its format, and audited as the CSV is.

const db = useFreshDatabase();
let exports: ExportPool;

beforeAll(async () => {
  await seedInsightRows(db.prisma);
  exports = createExportPool(db.url);
});

afterAll(async () => {
  await exports?.end();
});

const NOW = new Date("2026-11-30T12:00:00Z");
const scoped = { id: "user-1", email: "scoped@example.com", accountScope: [ACCOUNTS[0].id, ACCOUNTS[1].id] };

function download(query: string, user = scoped) {
  return findingsExportResponse({
    db: db.prisma,
    exports,
    params: new URLSearchParams(query),
    user,
    ip: "203.0.113.7",
    now: NOW,
  });
}

const lines = (text: string) =>
  text
    .trimEnd()
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe("the export route's formats", () => {
  const FILTERS = "severity=CRITICAL&severity=WARNING&region=eu-west-1";

  it.each([
    ["jsonl", ".jsonl", (r: Record<string, unknown>) => r.arn],
    ["ocsf", ".ocsf.jsonl", (r: Record<string, unknown>) => (r.resources as { uid: string }[])[0]!.uid],
    ["asff", ".asff.jsonl", (r: Record<string, unknown>) => (r.Resources as { Id: string }[])[0]!.Id],
  ] as const)("%s: exactly the view's rows in the user's accounts, in order", async (format, ext, arnOf) => {
    const res = await download(`${FILTERS}&format=${format}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("application/x-ndjson; charset=utf-8");
    expect(res.headers.get("Content-Disposition")).toBe(
      `attachment; filename="kms-key-rotation-2026-11-30${ext}"`,
    );
    const records = lines(await res.text());
    const view = await fetchInsightPage(
      db.prisma,
      { ...EMPTY_FILTERS, severities: ["CRITICAL", "WARNING"], regions: ["eu-west-1"], pageSize: 200 },
      scoped.accountScope,
    );
    expect(view.total).toBeGreaterThan(1);
    expect(records.map(arnOf)).toEqual(view.rows.map((row) => row.arn));
    const schema =
      format === "ocsf" ? ocsfDetectionFindingSchema : format === "asff" ? asffFindingSchema : null;
    for (const record of records) expect(schema?.safeParse(record).error).toBeUndefined();
    const entry = await db.prisma.auditLog.findFirst({
      where: { action: `export.${format}` },
      orderBy: { id: "desc" },
    });
    expect(entry).toMatchObject({
      actorId: "user-1",
      actorEmail: "scoped@example.com",
      ip: "203.0.113.7",
      details: { filters: FILTERS, rows: records.length, completed: true },
    });
  });

  it("never exports another account's keys, even when the filters name it", async () => {
    const res = await download(`account=${ACCOUNTS[2].id}&format=ocsf`);
    expect(await res.text()).toBe("");
    const all = lines(await (await download("format=asff")).text());
    expect(new Set(all.map((r) => r.AwsAccountId))).toEqual(new Set([ACCOUNTS[0].id, ACCOUNTS[1].id]));
  });

  it("CSV stays the default, as before", async () => {
    const res = await download("severity=OK");
    expect(res.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("Content-Disposition")).toBe(
      'attachment; filename="kms-key-rotation-2026-11-30.csv"',
    );
    // Bytes, not Response.text(): WHATWG UTF-8 decoding drops the leading BOM.
    const text = Buffer.from(await res.arrayBuffer()).toString("utf8");
    expect(text.startsWith("\uFEFFSeverity,")).toBe(true);
    expect(await db.prisma.auditLog.count({ where: { action: "export.csv" } })).toBe(1);
  });

  it("names a replica's primary key in its remediation, as the key page does", async () => {
    // A live key (the fixture also has gone ones, which the view leaves out).
    const replica = await db.prisma.kmsKey.findFirstOrThrow({
      where: {
        accountId: ACCOUNTS[0].id,
        severity: "CRITICAL",
        reason: "ROTATION_DISABLED",
        goneAt: null,
        status: "OPEN",
      },
      orderBy: { keyId: "asc" },
    });
    const primaryArn = `arn:aws:kms:us-west-2:${ACCOUNTS[0].id}:key/mrk-primary`;
    await db.prisma.kmsKey.update({
      where: { id: replica.id },
      data: { primaryKeyArn: primaryArn, primaryRegion: "us-west-2" },
    });
    const record = lines(await (await download(`q=${replica.keyId}&format=jsonl`)).text()).find(
      (r) => r.arn === replica.arn,
    );
    expect((record!.remediation as { commands: string[] }).commands).toEqual([
      `aws kms enable-key-rotation --key-id ${primaryArn} --rotation-period-in-days 365 --region us-west-2`,
    ]);
  });

  it("names the policy's rotation period from Settings in the remediation", async () => {
    await saveSettings(db.prisma, { "policy.maxRotationDays": 90 }, { actorEmail: "test" });
    const records = lines(await (await download("severity=CRITICAL&format=asff")).text());
    const texts = records.map(
      (r) => (r.Remediation as { Recommendation: { Text: string } }).Recommendation.Text,
    );
    expect(texts.some((text) => text.includes("--rotation-period-in-days 90"))).toBe(true);
    await saveSettings(db.prisma, { "policy.maxRotationDays": 365 }, { actorEmail: "test" });
  });

  it("refuses an unknown format with a 400 naming the formats, and exports nothing", async () => {
    const before = await db.prisma.auditLog.count();
    const res = await download("format=pdf");
    expect(res.status).toBe(400);
    expect(await res.text()).toBe('Unknown format "pdf": use csv, jsonl, ocsf, asff.\n');
    expect(await db.prisma.auditLog.count()).toBe(before);
  });
});
