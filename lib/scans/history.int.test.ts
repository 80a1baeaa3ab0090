import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { freshDatabase } from "@/test/db";
import { ESTATE, seedDashboardEstate } from "@/test/fixtures/dashboard-rows";
import { fetchScanHistory } from "./history";

let db: Awaited<ReturnType<typeof freshDatabase>>;
let prisma: PrismaClient;
let estate: Awaited<ReturnType<typeof seedDashboardEstate>>;
beforeEach(async () => {
  db = await freshDatabase();
  prisma = db.prisma;
  estate = await seedDashboardEstate(prisma);
});
afterEach(async () => db.drop());

describe("fetchScanHistory", () => {
  it("pages the scans newest first with each one's account-regions", async () => {
    const first = await fetchScanHistory(prisma, { page: 1, pageSize: 2 }, null);
    expect(first).toMatchObject({ total: 3, page: 1, pageCount: 2 });
    expect(first.scans.map((s) => s.id)).toEqual([estate.scans[2]!.id, estate.scans[1]!.id]);
    const partial = first.scans[0]!;
    expect(partial.error).toMatch(/1 of 4/);
    expect(partial.targets.map((t) => `${t.accountName}/${t.region}/${t.status}`)).toEqual([
      "Staging/eu-west-1/SUCCEEDED",
      "Staging/us-east-1/FAILED",
      "Production/eu-west-1/SUCCEEDED",
      "Production/us-east-1/SUCCEEDED",
    ]);
    expect(partial.targets[1]!.error).toMatch(/AccessDenied/);

    const second = await fetchScanHistory(prisma, { page: 2, pageSize: 2 }, null);
    expect(second.scans.map((s) => s.id)).toEqual([estate.scans[0]!.id]);
  });

  it("brings a page past the end back to the last page", async () => {
    const history = await fetchScanHistory(prisma, { page: 99, pageSize: 2 }, null);
    expect(history.page).toBe(2);
    expect(history.scans).toHaveLength(1);
  });

  it("shows only the user's account-regions and not the scan-wide error", async () => {
    const history = await fetchScanHistory(prisma, { page: 1 }, [ESTATE.production]);
    expect(history.scans).toHaveLength(3);
    for (const scan of history.scans) {
      expect(scan.error).toBeNull();
      expect(new Set(scan.targets.map((t) => t.accountId))).toEqual(new Set([ESTATE.production]));
    }
  });
});
