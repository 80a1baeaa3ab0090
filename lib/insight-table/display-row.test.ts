import { describe, expect, it } from "vitest";
import {
  cellText,
  cellTitle,
  type DisplayRow,
  packRows,
  rowArn,
  rowKeyId,
  unpackRows,
  withoutDerived,
} from "./display-row";
import { TABLE_COLUMNS, type TableColumnId } from "./screen-columns";

// A row as the server first builds it (every cell's text) and as it is sent (withoutDerived) must
// read the same on screen, cell by cell and tooltip by tooltip.

function fullRow(cells: Partial<Record<TableColumnId, string>>, more: Partial<DisplayRow> = {}): DisplayRow {
  const base: Record<string, string> = {
    severity: "Critical",
    accountId: "111122223333",
    accountName: "Payments",
    region: "eu-west-1",
    key: "alias/payments",
    keyId: "1234abcd-12ab-34cd-56ef-1234567890ab",
    aliases: "alias/payments, alias/legacy",
    status: "Open",
    rotationStatus: "disabled",
    reason: "Rotation off",
    description: "Automatic rotation is off.",
    tags: "env=prod; team=pay",
    arn: "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    ...cells,
  };
  return {
    id: "f1",
    severity: "CRITICAL",
    status: "open",
    cells: TABLE_COLUMNS.map(({ id }) => base[id] ?? ""),
    tags: [
      ["env", "prod"],
      ["team", "pay"],
    ],
    ...more,
  };
}

function expectSameOnScreen(full: DisplayRow, keyTitle: string) {
  const sent = withoutDerived(full, keyTitle);
  for (const { id } of TABLE_COLUMNS) {
    expect(cellText(sent, id), id).toBe(cellText(full, id));
    if (id !== "key") expect(cellTitle(sent, id), id).toBe(cellTitle(full, id));
  }
  expect(cellTitle(sent, "key")).toBe(keyTitle || undefined);
  expect(rowArn(sent)).toBe(rowArn(full));
  expect(rowKeyId(sent)).toBe(rowKeyId(full));
  return sent;
}

describe("withoutDerived", () => {
  it("leaves out what the row's other fields say, and the screen reads the same", () => {
    const full = fullRow({});
    const sent = expectSameOnScreen(
      full,
      "alias/payments\nalias/legacy\n1234abcd-12ab-34cd-56ef-1234567890ab",
    );
    const left = TABLE_COLUMNS.filter((_, i) => sent.cells[i] === null).map((c) => c.id);
    expect(left.sort()).toEqual(["arn", "key", "severity", "status", "tags"]);
    expect(sent.keyTitle).toBeUndefined();
    expect(JSON.stringify(sent).length).toBeLessThan(JSON.stringify(full).length);
  });

  it("keeps a key without alias, an ARN of another partition and an empty cell as they are", () => {
    const full = fullRow({
      key: "1234abcd-12ab-34cd-56ef-1234567890ab",
      aliases: "",
      tags: "",
      arn: "arn:aws-cn:kms:cn-north-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    });
    const sent = expectSameOnScreen({ ...full, tags: [] }, "");
    expect(sent.cells[TABLE_COLUMNS.findIndex((c) => c.id === "arn")]).toMatch(/^arn:aws-cn:/);
  });

  it("leaves out a tags cell cut for the screen, which the tags give cut the same way", () => {
    const tags = Array.from({ length: 40 }, (_, i): [string, string] => [
      `tag-${String(i).padStart(2, "0")}`,
      `value-${i}`,
    ]);
    const text = tags.map(([k, v]) => `${k}=${v}`).join("; ");
    expect(text.length).toBeGreaterThan(300);
    const full = fullRow({ tags: `${Array.from(text).slice(0, 300).join("")}…` }, { tags });
    const sent = expectSameOnScreen(
      full,
      "alias/payments\nalias/legacy\n1234abcd-12ab-34cd-56ef-1234567890ab",
    );
    expect(sent.cells[TABLE_COLUMNS.findIndex((c) => c.id === "tags")]).toBeNull();
  });

  it("keeps a Key tooltip that its aliases no longer give (cut for the screen)", () => {
    const full = fullRow({ aliases: "alias/payments, alias/leg…" });
    const sent = expectSameOnScreen(full, "alias/payments\nalias/legacy\nkey…");
    expect(sent.keyTitle).toBe("alias/payments\nalias/legacy\nkey…");
  });
});

describe("packRows", () => {
  it("sends each distinct cell text once, and the rows unpack as they were", () => {
    const rows = [
      withoutDerived(fullRow({}), ""),
      withoutDerived(
        fullRow(
          { keyId: "other", reason: "", tags: "" },
          { id: "f2", stale: "data from 2026-12-01", tags: [] },
        ),
        "",
      ),
      withoutDerived(
        fullRow(
          { keyId: "third", tags: "env=prod; owner=Payments" },
          {
            id: "f3",
            tags: [
              ["env", "prod"],
              ["owner", "Payments"],
            ],
          },
        ),
        "",
      ),
    ];
    const packed = packRows(rows);
    expect(unpackRows(JSON.parse(JSON.stringify(packed)))).toEqual(rows);
    expect(packed.texts.filter((t) => t === "Payments")).toHaveLength(1);
    expect(packed.texts.filter((t) => t === "env")).toHaveLength(1);
    expect(packed.rows[1]).not.toHaveProperty("tags");
    expect(new Set(packed.texts).size).toBe(packed.texts.length);
    expect(JSON.stringify(packed).length).toBeLessThan(JSON.stringify(rows).length);
  });
});
