import { beforeEach, describe, expect, it } from "vitest";
import { useFreshDatabase } from "@/test/db";
import { addScan, ESTATE, seedDashboardEstate } from "@/test/fixtures/dashboard-rows";
import { fetchScanHistory } from "./history";
import type { ScanViewer } from "./started-by";

const ADMIN: ScanViewer = { email: "admin@example.com", role: "admin", accountScope: null };
const viewerOf = (accountScope: ScanViewer["accountScope"]): ScanViewer => ({
  email: "vera@example.com",
  role: "viewer",
  accountScope,
});

/** A scan started from the console by `requestedBy`, of these accounts only. */
async function manualScan(startedAt: string, requestedBy: string, accountIds: string[]) {
  const scan = await addScan(db.prisma, {
    startedAt: new Date(startedAt),
    targets: accountIds.map((accountId) => ({ accountId, region: "eu-west-1" })),
  });
  await db.prisma.scan.update({ where: { id: scan.id }, data: { trigger: "MANUAL", requestedBy } });
  return scan;
}

const db = useFreshDatabase({ perTest: true });
let estate: Awaited<ReturnType<typeof seedDashboardEstate>>;
beforeEach(async () => {
  estate = await seedDashboardEstate(db.prisma);
});

describe("fetchScanHistory", () => {
  it("pages the scans newest first with each one's account-regions", async () => {
    const first = await fetchScanHistory(db.prisma, { page: 1, pageSize: 2 }, ADMIN);
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

    const second = await fetchScanHistory(db.prisma, { page: 2, pageSize: 2 }, ADMIN);
    expect(second.scans.map((s) => s.id)).toEqual([estate.scans[0]!.id]);
  });

  it("brings a page past the end back to the last page", async () => {
    const history = await fetchScanHistory(db.prisma, { page: 99, pageSize: 2 }, ADMIN);
    expect(history.page).toBe(2);
    expect(history.scans).toHaveLength(1);
  });

  it("shows only the user's account-regions and not the scan-wide error", async () => {
    const history = await fetchScanHistory(db.prisma, { page: 1 }, viewerOf([ESTATE.production]));
    expect(history.scans).toHaveLength(3);
    for (const scan of history.scans) {
      expect(scan.error).toBeNull();
      expect(new Set(scan.targets.map((t) => t.accountId))).toEqual(new Set([ESTATE.production]));
    }
  });

  it("shows a limited viewer only the scans of its accounts, counted and paged as such", async () => {
    const sandboxOnly = await manualScan("2026-11-28T08:00:00Z", "admin@example.com", [ESTATE.sandbox]);
    const production = viewerOf([ESTATE.production]);
    const history = await fetchScanHistory(db.prisma, { page: 1 }, production);
    expect(history.total).toBe(3);
    expect(history.scans.map((s) => s.id)).not.toContain(sandboxOnly.id);

    const sandbox = await fetchScanHistory(db.prisma, { page: 1 }, viewerOf([ESTATE.sandbox]));
    expect(sandbox).toMatchObject({ total: 1, pageCount: 1 });
    expect(sandbox.scans.map((s) => s.id)).toEqual([sandboxOnly.id]);

    const admin = await fetchScanHistory(db.prisma, { page: 1 }, ADMIN);
    expect(admin.total).toBe(4);
  });

  it("shows a viewer limited to no account no scan at all", async () => {
    const history = await fetchScanHistory(db.prisma, { page: 1 }, viewerOf([]));
    expect(history).toMatchObject({ total: 0, page: 1, pageCount: 1, scans: [] });
  });

  it("names who started a scan, showing another user's email to an admin only", async () => {
    await manualScan("2026-11-28T08:00:00Z", "admin@example.com", [ESTATE.production]);
    await manualScan("2026-11-28T09:00:00Z", "vera@example.com", [ESTATE.production]);
    const cli = await addScan(db.prisma, {
      startedAt: new Date("2026-11-28T10:00:00Z"),
      targets: [{ accountId: ESTATE.production, region: "eu-west-1" }],
    });
    await db.prisma.scan.update({ where: { id: cli.id }, data: { trigger: "CLI", requestedBy: "cli" } });
    const startedBy = async (viewer: ScanViewer) =>
      (await fetchScanHistory(db.prisma, { page: 1, pageSize: 4 }, viewer)).scans.map((s) => s.startedBy);

    // Newest first: the CLI's, Vera's, the admin's, then the scheduler's.
    expect(await startedBy(ADMIN)).toEqual([
      "the CLI",
      "vera@example.com",
      "you (admin@example.com)",
      "the scheduler",
    ]);
    for (const scope of [null, [ESTATE.production]]) {
      const seen = await startedBy(viewerOf(scope));
      expect(seen).toEqual(["the CLI", "you (vera@example.com)", "an admin", "the scheduler"]);
      expect(JSON.stringify(seen)).not.toContain("admin@example.com");
    }
  });
});
