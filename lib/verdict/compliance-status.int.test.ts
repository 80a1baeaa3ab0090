import { beforeEach, describe, expect, it } from "vitest";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { seedReferenceData } from "@/lib/server/seed";
import { useFreshDatabase } from "@/test/db";
import { addAccount, addKey, ESTATE, seedDashboardEstate } from "@/test/fixtures/dashboard-rows";
import { loadComplianceMappings } from "./compliance-file";
import { fetchComplianceStatus } from "./compliance-status";

const db = useFreshDatabase({ perTest: true });
let prisma: PrismaClient;
beforeEach(async () => {
  prisma = db.prisma;
  await seedReferenceData(prisma);
});

describe("fetchComplianceStatus", () => {
  it("lists every framework of the mappings file, in its order", async () => {
    const file = await loadComplianceMappings();
    const { frameworks } = await fetchComplianceStatus(prisma, null);
    expect(frameworks.map((f) => [f.id, f.name, f.version, f.references, f.source])).toEqual(
      file.frameworks.map((f) => [f.id, f.name, f.version, f.references, f.source]),
    );
  });

  it("passes while no key is CRITICAL or WARNING and fails once one is", async () => {
    await addAccount(prisma, ESTATE.production, "Production");
    await addKey(prisma, { accountId: ESTATE.production, region: "eu-west-1", severity: "OK" });
    await addKey(prisma, { accountId: ESTATE.production, region: "eu-west-1", severity: "NOT_APPLICABLE" });
    await addKey(prisma, {
      accountId: ESTATE.production,
      region: "eu-west-1",
      severity: "CRITICAL",
      goneAt: new Date(),
    });
    const before = await fetchComplianceStatus(prisma, null);
    expect(before.evaluatedKeys).toBe(2);
    expect(new Set(before.frameworks.map((f) => `${f.status}/${f.affectedKeys}`))).toEqual(
      new Set(["pass/0"]),
    );

    await addKey(prisma, { accountId: ESTATE.production, region: "us-east-1", severity: "CRITICAL" });
    const after = await fetchComplianceStatus(prisma, null);
    expect(new Set(after.frameworks.map((f) => `${f.status}/${f.affectedKeys}`))).toEqual(
      new Set(["fail/1"]),
    );
  });

  it("judges only the user's accounts", async () => {
    await seedDashboardEstate(prisma);
    const all = await fetchComplianceStatus(prisma, null);
    expect(all.frameworks[0]).toMatchObject({ status: "fail", affectedKeys: 6 });
    const staging = await fetchComplianceStatus(prisma, [ESTATE.staging]);
    expect(staging.frameworks[0]).toMatchObject({ status: "fail", affectedKeys: 2 });
    const sandbox = await fetchComplianceStatus(prisma, [ESTATE.sandbox]);
    expect(sandbox.frameworks[0]).toMatchObject({ status: "pass", affectedKeys: 0 });
    expect(sandbox.evaluatedKeys).toBe(0);
  });

  it("passes when every failing key is under an exception, and lists those keys apart with their exception", async () => {
    await addAccount(prisma, ESTATE.production, "Production");
    await addKey(prisma, { accountId: ESTATE.production, region: "eu-west-1", severity: "OK" });
    const exception = await prisma.findingException.create({
      data: {
        id: "x-audit",
        seriesId: "x-audit",
        kind: "FALSE_POSITIVE",
        justification: "Key material is rotated by the HSM vendor",
        ownerEmail: "owner@example.com",
        createdByEmail: "admin@example.com",
        expiresAt: new Date(Date.now() + 30 * 86_400_000),
        accounts: [ESTATE.production],
        approvedAt: new Date(),
        approvedByEmail: "admin@example.com",
      },
    });
    const key = await addKey(prisma, {
      accountId: ESTATE.production,
      region: "eu-west-1",
      severity: "CRITICAL",
      exceptionId: exception.id,
    });
    const status = await fetchComplianceStatus(prisma, null);
    expect(new Set(status.frameworks.map((f) => `${f.status}/${f.affectedKeys}`))).toEqual(
      new Set(["pass/0"]),
    );
    expect(status.counts.CRITICAL).toBe(0);
    expect(status.evaluatedKeys).toBe(2);
    expect(status.excepted).toBe(1);
    expect(status.exceptedFindings.map((f) => [f.id, f.exception.kind, f.exception.justification])).toEqual([
      [key.id, "false-positive", "Key material is rotated by the HSM vendor"],
    ]);
    expect((await fetchComplianceStatus(prisma, [ESTATE.staging])).exceptedFindings).toEqual([]);
  });
});
