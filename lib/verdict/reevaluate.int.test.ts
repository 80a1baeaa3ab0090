import { describe, expect, it } from "vitest";
import { useFreshDatabase } from "@/test/db";
import { addAccount, addKey } from "@/test/fixtures/dashboard-rows";
import { reevaluateFindings } from "./reevaluate";

const db = useFreshDatabase();

describe("re-evaluating findings when the policy's maximum rotation period changes", () => {
  it("turns a 400-day rotation period from WARNING to OK and back, and leaves other keys alone", async () => {
    const p = db.prisma;
    await addAccount(p, "111111111111", "One", ["us-east-1"]);
    const long = await addKey(p, {
      accountId: "111111111111",
      region: "us-east-1",
      severity: "WARNING",
      keyId: "aaaaaaaa-0000-4000-8000-000000000001",
    });
    await p.kmsKey.update({
      where: { id: long.id },
      data: {
        keyState: "Enabled",
        keyManager: "CUSTOMER",
        keySpec: "SYMMETRIC_DEFAULT",
        origin: "AWS_KMS",
        rotationEnabled: true,
        rotationPeriodDays: 400,
        reason: "ROTATION_PERIOD_EXCEEDS_POLICY",
      },
    });
    const off = await addKey(p, {
      accountId: "111111111111",
      region: "us-east-1",
      severity: "CRITICAL",
      keyId: "aaaaaaaa-0000-4000-8000-000000000002",
    });
    await p.kmsKey.update({
      where: { id: off.id },
      data: { reason: "ROTATION_DISABLED", rotationEnabled: false },
    });

    expect(await reevaluateFindings(p, 730)).toBe(1);
    expect(await p.kmsKey.findUniqueOrThrow({ where: { id: long.id } })).toMatchObject({
      severity: "OK",
      reason: "ROTATION_ENABLED",
    });
    expect(await p.kmsKey.findUniqueOrThrow({ where: { id: off.id } })).toMatchObject({
      severity: "CRITICAL",
      reason: "ROTATION_DISABLED",
    });

    expect(await reevaluateFindings(p, 365)).toBe(1);
    expect(await p.kmsKey.findUniqueOrThrow({ where: { id: long.id } })).toMatchObject({
      severity: "WARNING",
      reason: "ROTATION_PERIOD_EXCEEDS_POLICY",
    });
  });
});
