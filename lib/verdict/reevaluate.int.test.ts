import { describe, expect, it } from "vitest";
import { useFreshDatabase } from "@/test/db";
import { addAccount, addKey, type KeyInput } from "@/test/fixtures/dashboard-rows";
import { reevaluateFindings } from "./reevaluate";

const db = useFreshDatabase();

describe("re-evaluating findings when the policy's maximum rotation period changes", () => {
  it("turns a 400-day rotation period from WARNING to OK and back, and leaves other keys alone", async () => {
    const p = db.prisma;
    await addAccount(p, "111111111111", "One", ["us-east-1"]);
    // addKey's other facts: an enabled customer-managed symmetric key from AWS_KMS.
    const addOneKey = (n: number, facts: Omit<KeyInput, "accountId" | "region">) =>
      addKey(p, {
        accountId: "111111111111",
        region: "us-east-1",
        keyId: `aaaaaaaa-0000-4000-8000-00000000000${n}`,
        ...facts,
      });
    const long = await addOneKey(1, {
      severity: "WARNING",
      rotationEnabled: true,
      rotationPeriodDays: 400,
      reason: "ROTATION_PERIOD_EXCEEDS_POLICY",
    });
    const off = await addOneKey(2, {
      severity: "CRITICAL",
      rotationEnabled: false,
      reason: "ROTATION_DISABLED",
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
