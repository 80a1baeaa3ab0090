import type { StatusDisplay } from "./status-display";
import { formatTags } from "./columns";
import { TABLE_COLUMNS, type TableColumnId } from "./screen-columns";
import { STATUS_LABELS } from "@/lib/triage/status";
import { SEVERITY_LABELS, type Severity } from "@/lib/verdict/types";

/**
 * A row as the server formatted it for the screen (words for codes; the CSV keeps the codes), each
 * fact once: the page sends its rows inside the HTML, so a byte in a row is 50 bytes of every page.
 * Read the cells through cellText, cellTitle, rowArn and rowKeyId.
 */
export interface DisplayRow {
  id: string;
  severity: Severity;
  status: StatusDisplay["status"];
  overdue?: true;
  /** One short line under the status badge. */
  note?: string;
  /** The status's whole story, for its tooltip. */
  detail?: string;
  /**
   * What each column of TABLE_COLUMNS shows, in its order; null where the row's other fields say it
   * (deriveCell: the severity and status words, the tags, the Key cell, an ARN of the usual form).
   */
  cells: (string | null)[];
  /** The Key cell's tooltip, when it is not its aliases and key id one a line. */
  keyTitle?: string;
  /** [key, value], by key. */
  tags: [string, string][];
  /** "data from …, last scan of this region failed"; absent when the region's last scan succeeded. */
  stale?: string;
}

/** Cells are cut for the screen (a tag value may hold 100,000 characters); the CSV has them whole. */
const MAX_CELL = 300;
export function shortened(text: string): string {
  return text.length > MAX_CELL ? `${Array.from(text).slice(0, MAX_CELL).join("")}…` : text;
}

const INDEX = new Map(TABLE_COLUMNS.map(({ id }, i) => [id, i]));
const stored = (row: DisplayRow, id: TableColumnId) => row.cells[INDEX.get(id)!] ?? null;

/** A cell's text from the row's other fields, or null for a column that has its own text. */
export function deriveCell(row: DisplayRow, id: TableColumnId): string | null {
  switch (id) {
    case "severity":
      return SEVERITY_LABELS[row.severity];
    case "status":
      return STATUS_LABELS[row.status];
    case "tags":
      return shortened(formatTags(row.tags.map(([key, value]) => ({ key, value }))));
    case "key":
      return aliasesOf(row)[0] ?? stored(row, "keyId") ?? "";
    case "arn":
      return `arn:aws:kms:${stored(row, "region")}:${stored(row, "accountId")}:key/${stored(row, "keyId")}`;
    default:
      return null;
  }
}

function aliasesOf(row: DisplayRow): string[] {
  const aliases = stored(row, "aliases");
  return aliases ? aliases.split(", ") : [];
}

/** What a cell shows. */
export function cellText(row: DisplayRow, id: TableColumnId): string {
  return stored(row, id) ?? deriveCell(row, id) ?? "";
}

/** The Key cell's tooltip from its aliases and key id (none when it has no alias). */
export function deriveKeyTitle(row: DisplayRow): string | undefined {
  const aliases = aliasesOf(row);
  return aliases.length ? [...aliases, cellText(row, "keyId")].join("\n") : undefined;
}

/** A cell's whole text where it differs from what the one-line cell shows (the reason's is the description). */
export function cellTitle(row: DisplayRow, id: TableColumnId): string | undefined {
  if (id === "key") return row.keyTitle === undefined ? deriveKeyTitle(row) : row.keyTitle || undefined;
  if (id === "reason") return cellText(row, "description") || undefined;
  return undefined;
}

export const rowArn = (row: DisplayRow) => cellText(row, "arn");
export const rowKeyId = (row: DisplayRow) => cellText(row, "keyId");

/**
 * The row as sent: each cell that deriveCell gives from the row's other fields becomes null, and the
 * Key cell's tooltip (keyTitle: "" for none) is kept only where deriveKeyTitle would not give it.
 */
export function withoutDerived(row: DisplayRow, keyTitle: string): DisplayRow {
  const sent: DisplayRow = {
    ...row,
    cells: row.cells.map((text, i) => (deriveCell(row, TABLE_COLUMNS[i]!.id) === text ? null : text)),
  };
  delete sent.keyTitle;
  if ((deriveKeyTitle(sent) ?? "") !== keyTitle) sent.keyTitle = keyTitle;
  return sent;
}

/**
 * The page's rows as they travel: each distinct text once in `texts` (an account, a region, a
 * reason, a tag's key and value repeat down the page), each cell as its index there (null: derived,
 * as in DisplayRow), the tags as indexes of key and value in turn (absent: no tags).
 */
export interface PackedRows {
  texts: string[];
  rows: (Omit<DisplayRow, "cells" | "tags"> & { cells: (number | null)[]; tags?: number[] })[];
}

export function packRows(rows: DisplayRow[]): PackedRows {
  const texts: string[] = [];
  const index = new Map<string, number>();
  const indexOf = (text: string) => {
    let i = index.get(text);
    if (i === undefined) index.set(text, (i = texts.push(text) - 1));
    return i;
  };
  return {
    texts,
    rows: rows.map(({ tags, ...row }) => ({
      ...row,
      cells: row.cells.map((text) => (text === null ? null : indexOf(text))),
      ...(tags.length > 0 && { tags: tags.flatMap(([key, value]) => [indexOf(key), indexOf(value)]) }),
    })),
  };
}

export function unpackRows({ texts, rows }: PackedRows): DisplayRow[] {
  return rows.map(({ tags = [], ...row }) => ({
    ...row,
    cells: row.cells.map((i) => (i === null ? null : texts[i]!)),
    tags: Array.from({ length: tags.length / 2 }, (_, i): [string, string] => [
      texts[tags[2 * i]!]!,
      texts[tags[2 * i + 1]!]!,
    ]),
  }));
}
