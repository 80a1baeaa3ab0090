import type { InsightRow } from "./columns";

/** One realistic row for tests of the table and the CSV. */
export const sampleRow: InsightRow = {
  id: "row-1",
  severity: "CRITICAL",
  accountId: "111122223333",
  accountName: "Production",
  region: "eu-west-1",
  keyId: "1234abcd-12ab-34cd-56ef-1234567890ab",
  aliases: ["alias/orders", "alias/billing"],
  rotationStatus: "disabled",
  rotationPeriodDays: null,
  nextRotation: null,
  lastRotation: new Date("2026-03-02T23:30:00Z"),
  keyManager: "CUSTOMER",
  keySpec: "SYMMETRIC_DEFAULT",
  keyState: "Enabled",
  origin: "AWS_KMS",
  tags: [
    { key: "team", value: "payments" },
    { key: "env", value: "prod" },
  ],
  reason: "ROTATION_DISABLED",
  description: "Automatic rotation is disabled: KMS will never rotate this key's material.",
  arn: "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
  lastEvaluated: new Date("2026-11-30T08:15:00Z"),
};
