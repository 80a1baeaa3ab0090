import { beforeEach, describe, expect, it } from "vitest";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { useFreshDatabase } from "@/test/db";
import { addHistory, addKey, ESTATE, seedDashboardEstate } from "@/test/fixtures/dashboard-rows";
import { fetchKeyDetail, KEY_HISTORY_LIMIT } from "./key-detail";

const db = useFreshDatabase({ perTest: true });
let prisma: PrismaClient;
let estate: Awaited<ReturnType<typeof seedDashboardEstate>>;
beforeEach(async () => {
  prisma = db.prisma;
  estate = await seedDashboardEstate(prisma);
});

describe("fetchKeyDetail", () => {
  it("returns the key, its account, its finding and its history's changes newest first", async () => {
    const detail = await fetchKeyDetail(prisma, estate.critical.id, null);
    expect(detail?.key).toMatchObject({
      arn: estate.critical.arn,
      severity: "CRITICAL",
      reason: "ROTATION_DISABLED",
      aliases: ["alias/orders"],
    });
    expect(detail?.accountName).toBe("Production");
    const entries = await prisma.findingHistory.findMany({
      where: { kmsKeyId: estate.critical.id },
      orderBy: { evaluatedAt: "asc" },
    });
    expect(entries.map((e) => e.severity)).toEqual(["OK", "CRITICAL", "CRITICAL"]);
    expect(detail?.history).toEqual([
      {
        severity: "CRITICAL",
        reason: "ROTATION_DISABLED",
        from: entries[1]!.evaluatedAt,
        to: entries[2]!.evaluatedAt,
        scans: 2,
      },
      {
        severity: "OK",
        reason: entries[0]!.reason,
        from: entries[0]!.evaluatedAt,
        to: entries[0]!.evaluatedAt,
        scans: 1,
      },
    ]);
    expect(detail?.historyCut).toBe(false);
    expect(detail?.primary).toBeNull();
    expect(detail?.stale).toBeNull();
  });

  it("names the multi-Region primary of a replica and links it when the primary is known", async () => {
    const detail = await fetchKeyDetail(prisma, estate.replica.id, null);
    expect(detail?.key.tags).toEqual([{ key: "team", value: "payments" }]);
    expect(detail?.primary).toEqual({
      arn: estate.primary.arn,
      region: "eu-west-1",
      id: estate.primary.id,
      severity: "OK",
      gone: false,
    });
    // A primary names itself as primary: no link to itself.
    expect((await fetchKeyDetail(prisma, estate.primary.id, null))?.primary).toBeNull();
  });

  it("still names a primary it has never seen, without a link", async () => {
    const arn = `arn:aws:kms:ap-south-1:${ESTATE.production}:key/mrk-0123456789abcdef0123456789abcdef`;
    const replica = await addKey(prisma, {
      accountId: ESTATE.production,
      region: "eu-west-1",
      severity: "OK",
      multiRegionType: "REPLICA",
      primaryKeyArn: arn,
      primaryRegion: "ap-south-1",
    });
    const detail = await fetchKeyDetail(prisma, replica.id, null);
    expect(detail?.primary).toMatchObject({ arn, region: "ap-south-1", id: null });
  });

  it("reads at most the last KEY_HISTORY_LIMIT scans, and says so", async () => {
    const n = KEY_HISTORY_LIMIT + 10;
    await addHistory(
      prisma,
      estate.replica.id,
      Array.from({ length: n }, (_, i) => ({
        scanId: `old-scan-${i}`,
        severity: i % 100 === 99 ? ("WARNING" as const) : ("OK" as const),
        evaluatedAt: new Date(Date.UTC(2025, 0, 1, i)),
      })),
    );
    const detail = await fetchKeyDetail(prisma, estate.replica.id, null);
    expect(detail?.historyCut).toBe(true);
    expect(detail?.history.reduce((sum, run) => sum + run.scans, 0)).toBe(KEY_HISTORY_LIMIT);
    expect(detail?.history[0]).toMatchObject({ severity: "OK", to: new Date(Date.UTC(2025, 0, 1, n - 1)) });
    // Ten changes to WARNING and back within the last 500 scans: runs, not 500 rows.
    expect(detail?.history.length).toBeLessThan(15);
  });

  it("marks a key whose region's last scan failed", async () => {
    const [key] = await prisma.kmsKey.findMany({ where: { accountId: ESTATE.staging, region: "us-east-1" } });
    const detail = await fetchKeyDetail(prisma, key!.id, null);
    expect(detail?.stale).toEqual({
      accountId: ESTATE.staging,
      region: "us-east-1",
      lastSuccessAt: new Date("2026-11-29T08:00:00Z"),
    });
  });

  it("shows a gone key, marked gone", async () => {
    const detail = await fetchKeyDetail(prisma, estate.gone.id, null);
    expect(detail?.key.goneAt).toBeInstanceOf(Date);
  });

  it("finds nothing outside the user's accounts, for unknown ids or malformed ones", async () => {
    expect(await fetchKeyDetail(prisma, estate.critical.id, [ESTATE.staging])).toBeNull();
    expect(await fetchKeyDetail(prisma, estate.critical.id, [ESTATE.production])).not.toBeNull();
    for (const id of ["nope", "", "a\u0000b", estate.critical.arn, "x".repeat(500), "../etc"]) {
      expect(await fetchKeyDetail(prisma, id, null)).toBeNull();
    }
  });
});
