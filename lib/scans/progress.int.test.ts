import { beforeEach, describe, expect, it } from "vitest";
import { useFreshDatabase } from "@/test/db";
import { addScan, ESTATE, seedDashboardEstate } from "@/test/fixtures/dashboard-rows";
import { fetchScanProgress } from "./progress";

const db = useFreshDatabase({ perTest: true });

beforeEach(async () => {
  await seedDashboardEstate(db.prisma);
});

/** A scan under way: Production's two regions done (one failed), Staging's two still to do. */
async function runningScan() {
  const { production: p, staging: s } = ESTATE;
  const scan = await addScan(db.prisma, {
    startedAt: new Date("2026-12-01T08:00:00Z"),
    status: "RUNNING",
    targets: [
      { accountId: p, region: "eu-west-1", status: "SUCCEEDED", keysSeen: 7 },
      { accountId: p, region: "us-east-1", status: "FAILED", error: "AccessDenied" },
      { accountId: s, region: "eu-west-1", status: "RUNNING" },
      { accountId: s, region: "us-east-1", status: "QUEUED" },
    ],
  });
  await db.prisma.scanTarget.updateMany({
    where: { scanId: scan.id, accountId: p, region: "eu-west-1" },
    data: { keyErrors: 2 },
  });
  return scan;
}

describe("fetchScanProgress", () => {
  it("is null while no scan runs", async () => {
    expect(await fetchScanProgress(db.prisma, null)).toBeNull();
  });

  it("counts the running scan's account-regions done, keys so far and errors", async () => {
    const scan = await runningScan();
    expect(await fetchScanProgress(db.prisma, null)).toEqual({
      scanId: scan.id,
      status: "RUNNING",
      startedAt: scan.startedAt,
      running: true,
      targetsDone: 2,
      targetsTotal: 4,
      keysSoFar: 7,
      failedTargets: 1,
      keyErrors: 2,
    });
  });

  it("counts only the account-regions in scope, and shows no scan of other accounts", async () => {
    const scan = await runningScan();
    expect(await fetchScanProgress(db.prisma, [ESTATE.staging])).toMatchObject({
      scanId: scan.id,
      targetsDone: 0,
      targetsTotal: 2,
      keysSoFar: 0,
      failedTargets: 0,
    });
    expect(await fetchScanProgress(db.prisma, [ESTATE.sandbox])).toBeNull();
    expect(await fetchScanProgress(db.prisma, [])).toBeNull();
    expect(await fetchScanProgress(db.prisma, [ESTATE.sandbox], scan.id)).toBeNull();
  });

  it("follows a scan by id to its end", async () => {
    const scan = await runningScan();
    await db.prisma.scanTarget.updateMany({
      where: { scanId: scan.id, status: { in: ["QUEUED", "RUNNING"] } },
      data: { status: "SUCCEEDED", keysSeen: 3 },
    });
    await db.prisma.scan.update({ where: { id: scan.id }, data: { status: "PARTIAL" } });
    expect(await fetchScanProgress(db.prisma, null)).toBeNull();
    expect(await fetchScanProgress(db.prisma, null, scan.id)).toMatchObject({
      status: "PARTIAL",
      running: false,
      targetsDone: 4,
      targetsTotal: 4,
      keysSoFar: 13,
    });
  });
});
