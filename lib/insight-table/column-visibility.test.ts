import { describe, expect, it } from "vitest";
import { INSIGHT_COLUMNS } from "./columns";
import { DEFAULT_VISIBILITY, readColumnVisibility, storedColumnVisibility } from "./column-visibility";

const hiddenOf = (v: Record<string, boolean>) =>
  Object.entries(v)
    .filter(([, shown]) => !shown)
    .map(([id]) => id);

describe("column visibility", () => {
  it("shows Status, Open For and Due by default, and hides the rarely used columns", () => {
    expect(hiddenOf(DEFAULT_VISIBILITY)).toEqual(["keySpec", "origin", "arn", "lastEvaluated", "firstSeen"]);
    expect(DEFAULT_VISIBILITY).toMatchObject({ status: true, openFor: true, due: true, severity: true });
    expect(Object.keys(DEFAULT_VISIBILITY)).toEqual(INSIGHT_COLUMNS.map((c) => c.id));
  });

  it("keeps a saved choice, including a shown default-hidden column", () => {
    const saved = storedColumnVisibility({ ...DEFAULT_VISIBILITY, status: false, arn: true });
    const read = readColumnVisibility(saved);
    expect(read).toMatchObject({ status: false, arn: true, keySpec: false });
  });

  it("gives the columns added since an old saved choice their default", () => {
    // Saved before the triage columns: the list of hidden columns only.
    const read = readColumnVisibility(JSON.stringify(["tags", "description"]));
    expect(hiddenOf(read)).toEqual(["tags", "description", "firstSeen"]);
  });

  it("falls back to the defaults for anything it did not write", () => {
    for (const stored of [null, "", "{", "42", '{"hidden":[1]}', '"x"'])
      expect(readColumnVisibility(stored)).toEqual(DEFAULT_VISIBILITY);
  });
});
