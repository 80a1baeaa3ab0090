import { describe, expect, it } from "vitest";
import { DEFAULT_VISIBILITY, readColumnVisibility, storedColumnVisibility } from "./column-visibility";
import { TABLE_COLUMNS } from "./screen-columns";

const shownOf = (v: Record<string, boolean>) =>
  Object.entries(v)
    .filter(([, shown]) => shown)
    .map(([id]) => id);

describe("column visibility", () => {
  it("shows the compact set by default, in the table's order, and hides the rest", () => {
    expect(shownOf(DEFAULT_VISIBILITY)).toEqual([
      "severity",
      "accountId",
      "region",
      "key",
      "rotationStatus",
      "reason",
      "nextRotation",
    ]);
    expect(Object.keys(DEFAULT_VISIBILITY)).toEqual(TABLE_COLUMNS.map((c) => c.id));
  });

  it("keeps a saved choice, including a shown default-hidden column", () => {
    const saved = storedColumnVisibility({ ...DEFAULT_VISIBILITY, region: false, status: true, arn: true });
    const read = readColumnVisibility(saved);
    expect(read).toMatchObject({ region: false, status: true, arn: true, keySpec: false, key: true });
  });

  it("gives the columns added since a saved choice their default", () => {
    // Saved before Key: every other column known, Tags hidden, the rest shown.
    const known = TABLE_COLUMNS.map((c) => c.id).filter((id) => id !== "key");
    const read = readColumnVisibility(JSON.stringify({ hidden: ["tags"], known }));
    expect(read).toMatchObject({ key: true, tags: false, keyId: true, status: true });
    // Saved before the triage columns: the list of hidden columns only.
    const legacy = readColumnVisibility(JSON.stringify(["tags", "description"]));
    expect(legacy).toMatchObject({ tags: false, description: false, arn: true, key: true });
    expect(legacy).toMatchObject({ status: false, openFor: false, due: false, firstSeen: false });
  });

  it("falls back to the defaults for anything it did not write", () => {
    for (const stored of [null, "", "{", "42", '{"hidden":[1]}', '"x"'])
      expect(readColumnVisibility(stored)).toEqual(DEFAULT_VISIBILITY);
  });
});
