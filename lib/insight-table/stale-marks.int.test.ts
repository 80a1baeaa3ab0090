import { beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { useFreshDatabase } from "@/test/db";
import { ESTATE, seedDashboardEstate } from "@/test/fixtures/dashboard-rows";
import { fetchStaleMarks, staleMarkText } from "./stale-marks";

const db = useFreshDatabase();
let prisma: PrismaClient;
beforeAll(async () => {
  prisma = db.prisma;
  await seedDashboardEstate(prisma);
});

const staging = { accountId: ESTATE.staging, region: "us-east-1" };
const places = [
  { accountId: ESTATE.production, region: "eu-west-1" },
  staging,
  staging,
  { accountId: ESTATE.staging, region: "eu-west-1" },
];

describe("fetchStaleMarks", () => {
  it("marks only the account-regions whose last scan failed, once each, with their last good listing", async () => {
    const marks = await fetchStaleMarks(prisma, places, null);
    expect([...marks.entries()]).toEqual([
      [`${ESTATE.staging}/us-east-1`, { ...staging, lastSuccessAt: new Date("2026-11-29T08:00:00Z") }],
    ]);
    expect(staleMarkText(marks.get(`${ESTATE.staging}/us-east-1`)!)).toBe(
      "data from 2026-11-29 08:00 UTC, last scan of this region failed",
    );
  });

  it("forgets a region once a scan lists it again", async () => {
    await prisma.accountRegionState.update({
      where: { accountId_region: staging },
      data: { stale: false, lastSuccessAt: new Date() },
    });
    expect((await fetchStaleMarks(prisma, places, null)).size).toBe(0);
    await prisma.accountRegionState.update({ where: { accountId_region: staging }, data: { stale: true } });
  });

  it("keeps to the user's accounts, and asks nothing for no rows", async () => {
    expect((await fetchStaleMarks(prisma, places, [ESTATE.production])).size).toBe(0);
    expect((await fetchStaleMarks(prisma, places, [])).size).toBe(0);
    expect((await fetchStaleMarks(prisma, places, [ESTATE.staging])).size).toBe(1);
    expect((await fetchStaleMarks(prisma, [], null)).size).toBe(0);
  });

  it("says so plainly when the region was never listed", () => {
    expect(staleMarkText({ ...staging, lastSuccessAt: null })).toBe("last scan of this region failed");
  });
});
