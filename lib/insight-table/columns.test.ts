import { describe, expect, it } from "vitest";
import { INSIGHT_COLUMNS, type InsightRow, formatCell } from "./columns";
import { sampleRow } from "@/test/fixtures/sample-row";

describe("INSIGHT_COLUMNS", () => {
  it("lists the spec's headers in the spec's order", () => {
    expect(INSIGHT_COLUMNS.map((column) => column.header)).toEqual([
      "Severity",
      "Account Id",
      "Account Name",
      "Region",
      "Identifier",
      "Alias(es)",
      "Key Rotation Status",
      "Rotation Period (days)",
      "Next Rotation",
      "Last Rotation",
      "Key Manager",
      "Key Spec",
      "Key State",
      "Origin",
      "Tags",
      "Reason",
      "Description",
      "ARN",
      "Last Evaluated",
      "Status",
      "First Seen",
      "Open For (days)",
      "Due",
    ]);
  });
});

describe("formatCell", () => {
  const cells = (row: InsightRow) =>
    Object.fromEntries(INSIGHT_COLUMNS.map(({ id }) => [id, formatCell(row, id)]));

  it("formats every column of a row", () => {
    expect(cells(sampleRow)).toEqual({
      severity: "CRITICAL",
      accountId: "111122223333",
      accountName: "Production",
      region: "eu-west-1",
      keyId: "1234abcd-12ab-34cd-56ef-1234567890ab",
      aliases: "alias/orders, alias/billing",
      rotationStatus: "disabled",
      rotationPeriodDays: "",
      nextRotation: "",
      lastRotation: "2026-03-02",
      keyManager: "CUSTOMER",
      keySpec: "SYMMETRIC_DEFAULT",
      keyState: "Enabled",
      origin: "AWS_KMS",
      tags: "env=prod; team=payments",
      reason: "ROTATION_DISABLED",
      description: "Automatic rotation is disabled: KMS will never rotate this key's material.",
      arn: sampleRow.arn,
      lastEvaluated: "2026-11-30T08:15:00.000Z",
      status: "Open",
      firstSeen: "2026-10-01T08:15:00.000Z",
      openFor: "60",
      due: "2026-10-31",
    });
  });

  it("leaves the triage cells of a passing finding empty", () => {
    const row = { ...sampleRow, status: "passing" as const, firstSeen: null, openForDays: null, due: null };
    expect([
      formatCell(row, "status"),
      formatCell(row, "firstSeen"),
      formatCell(row, "openFor"),
      formatCell(row, "due"),
    ]).toEqual(["Passing", "", "", ""]);
  });

  it("uses UTC dates and prints numbers and empty lists plainly", () => {
    const row = {
      ...sampleRow,
      aliases: [],
      tags: [],
      rotationPeriodDays: 365,
      nextRotation: new Date("2027-03-01T23:59:59-05:00"),
    };
    expect(formatCell(row, "nextRotation")).toBe("2027-03-02");
    expect(formatCell(row, "rotationPeriodDays")).toBe("365");
    expect(formatCell(row, "aliases")).toBe("");
    expect(formatCell(row, "tags")).toBe("");
  });
});
