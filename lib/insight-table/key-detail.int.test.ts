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
  it("returns the key, its account, its finding and its history newest first with scan dates", async () => {
    const detail = await fetchKeyDetail(prisma, estate.critical.id, null);
    expect(detail?.key).toMatchObject({
      arn: estate.critical.arn,
      severity: "CRITICAL",
      reason: "ROTATION_DISABLED",
      aliases: ["alias/orders"],
    });
    expect(detail?.accountName).toBe("Production");
    expect(detail?.history.map((h) => [h.scanId, h.severity, h.scanStartedAt])).toEqual(
      [...estate.scans].reverse().map((s, i) => [s.id, i === 2 ? "OK" : "CRITICAL", s.startedAt]),
    );
    expect(detail?.primary).toBeNull();
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

  it("keeps at most the last 50 history entries", async () => {
    await addHistory(
      prisma,
      estate.replica.id,
      Array.from({ length: 60 }, (_, i) => ({
        scanId: `old-scan-${i}`,
        severity: "OK" as const,
        evaluatedAt: new Date(Date.UTC(2026, 0, 1 + i)),
      })),
    );
    const history = (await fetchKeyDetail(prisma, estate.replica.id, null))?.history ?? [];
    expect(history).toHaveLength(KEY_HISTORY_LIMIT);
    expect(history[0]).toMatchObject({ scanId: "old-scan-59", scanStartedAt: null });
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
