import { describe, expect, it } from "vitest";
import { sampleRow } from "@/test/fixtures/sample-row";
import { REASON_CODES, REASON_LABELS, reasonLabel } from "@/lib/verdict/types";
import { formatCell, INSIGHT_COLUMNS } from "./columns";
import { screenCell, screenCellTitle, TABLE_COLUMNS } from "./screen-columns";

describe("TABLE_COLUMNS", () => {
  it("has every CSV column once, plus Key", () => {
    const ids = TABLE_COLUMNS.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual([...INSIGHT_COLUMNS.map((c) => c.id), "key"].sort());
  });
});

describe("screenCell", () => {
  it("shows the first alias as the key, else the key id; every alias and the id in its tooltip", () => {
    expect(screenCell(sampleRow, "key")).toBe("alias/orders");
    expect(screenCellTitle(sampleRow, "key")).toBe(`alias/orders\nalias/billing\n${sampleRow.keyId}`);
    const noAlias = { ...sampleRow, aliases: [] };
    expect(screenCell(noAlias, "key")).toBe(sampleRow.keyId);
  });

  it("says severities and reasons in words where the CSV keeps codes", () => {
    expect(screenCell({ ...sampleRow, severity: "NOT_APPLICABLE" }, "severity")).toBe("Not applicable");
    expect(formatCell(sampleRow, "reason")).toBe("ROTATION_DISABLED");
    expect(screenCell(sampleRow, "reason")).toBe("Automatic rotation is off");
    expect(screenCellTitle(sampleRow, "reason")).toBe(sampleRow.description);
  });

  it("shows the other columns as the CSV does", () => {
    for (const id of ["accountId", "region", "tags", "nextRotation", "status", "due"] as const)
      expect(screenCell(sampleRow, id)).toBe(formatCell(sampleRow, id));
  });
});

describe("reasonLabel", () => {
  it("has a distinct sentence for every reason, and leaves an unknown code as it is", () => {
    const labels = REASON_CODES.map((code) => reasonLabel(code));
    expect(new Set(labels).size).toBe(REASON_CODES.length);
    for (const code of REASON_CODES) expect(REASON_LABELS[code]).not.toMatch(/^[A-Z_]+$/);
    expect(reasonLabel("SOME_NEW_REASON")).toBe("SOME_NEW_REASON");
    expect(reasonLabel("toString")).toBe("toString");
  });
});
