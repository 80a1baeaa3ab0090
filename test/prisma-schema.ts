import { readFileSync } from "node:fs";

export interface SchemaTable {
  model: string;
  table: string;
  columns: { field: string; column: string; optional: boolean; list: boolean }[];
}

/**
 * The tables and columns that prisma/schema.prisma describes: scalar and enum fields of every
 * model, with their @map/@@map names. Relation fields (whose type is another model) have no column.
 */
export function schemaTables(file = "prisma/schema.prisma"): SchemaTable[] {
  const text = readFileSync(file, "utf8").replace(/\/\/.*$/gm, "");
  // A model's body ends at the first line that is only "}" (a body may hold "{}" in a default).
  const blocks = [...text.matchAll(/^model\s+(\w+)\s*\{\n([\s\S]*?)^\}/gm)];
  const models = new Set(blocks.map((b) => b[1]!));
  return blocks.map(([, model, body]) => {
    const lines = body!
      .split("\n")
      .map((l) => l.trim())
      .filter(Boolean);
    const table = lines.map((l) => l.match(/^@@map\("([^"]+)"\)/)?.[1]).find(Boolean) ?? model!;
    const columns = lines
      .filter((l) => !l.startsWith("@@"))
      .map((l) => l.match(/^(\w+)\s+(\w+)(\[\])?(\?)?(.*)$/))
      .filter((m): m is RegExpMatchArray => m !== null && !models.has(m[2]!))
      .map((m) => ({
        field: m[1]!,
        column: m[5]!.match(/@map\("([^"]+)"\)/)?.[1] ?? m[1]!,
        optional: m[4] === "?",
        list: m[3] === "[]",
      }));
    return { model: model!, table, columns };
  });
}
