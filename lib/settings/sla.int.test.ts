import { describe, expect, it } from "vitest";
import { useFreshDatabase } from "@/test/db";
import { getSettings, saveSettings, SETTINGS } from "./index";

// The SLAs live in two places by necessity: the settings (zod defaults) and the SQL function the
// lifecycle trigger calls (migration 20261203100000). They must agree, and a change must move the
// due dates of the findings that are open or excepted.

const db = useFreshDatabase();
const slaDays = async (severity: string) =>
  (await db.prisma.$queryRawUnsafe<{ days: number }[]>(`SELECT insight_sla_days('${severity}') AS days`))[0]!
    .days;

describe("SLA days", () => {
  it("are the same in the database as the settings' defaults", async () => {
    const settings = await getSettings(db.prisma);
    expect(settings["sla.criticalDays"]).toBe(SETTINGS["sla.criticalDays"].parse(undefined));
    expect(await slaDays("CRITICAL")).toBe(settings["sla.criticalDays"]);
    expect(await slaDays("WARNING")).toBe(settings["sla.warningDays"]);
  });

  it("move the due dates of open findings when changed, and are audited", async () => {
    await db.prisma.awsAccount.create({ data: { id: "111111111111", name: "A", regions: ["eu-west-1"] } });
    const failingSince = new Date("2026-11-01T00:00:00Z");
    const base = {
      accountId: "111111111111",
      region: "eu-west-1",
      keyState: "Enabled",
      keyManager: "CUSTOMER",
      keySpec: "SYMMETRIC_DEFAULT",
      origin: "AWS_KMS",
      enabled: true,
      reason: "ROTATION_DISABLED",
      findingDescription: "off",
      rotationStatus: "disabled",
      evaluatedAt: failingSince,
    };
    await db.prisma.kmsKey.create({
      data: { ...base, keyId: "k1", arn: "arn:aws:kms:eu-west-1:111111111111:key/k1", severity: "CRITICAL" },
    });
    await db.prisma.kmsKey.create({
      data: { ...base, keyId: "k2", arn: "arn:aws:kms:eu-west-1:111111111111:key/k2", severity: "WARNING" },
    });
    const due = async (keyId: string) =>
      (await db.prisma.kmsKey.findFirstOrThrow({ where: { keyId } })).dueAt;
    expect(await due("k1")).toEqual(new Date("2026-12-01T00:00:00Z"));
    expect(await due("k2")).toEqual(new Date("2027-01-30T00:00:00Z"));
    await saveSettings(
      db.prisma,
      { "sla.criticalDays": 7, "sla.warningDays": 14 },
      { actorEmail: "admin@example.com" },
    );
    expect(await slaDays("CRITICAL")).toBe(7);
    expect(await due("k1")).toEqual(new Date("2026-11-08T00:00:00Z"));
    expect(await due("k2")).toEqual(new Date("2026-11-15T00:00:00Z"));
    const entry = await db.prisma.auditLog.findFirstOrThrow({ where: { action: "settings.update" } });
    expect(entry.details).toMatchObject({ "sla.criticalDays": { from: 30, to: 7 } });
  });
});
