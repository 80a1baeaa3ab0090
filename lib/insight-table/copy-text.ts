import pg from "pg";
import { to as copyTo } from "pg-copy-streams";

// `COPY (select) TO STDOUT`, text format, read as rows of texts: each value PostgreSQL's text for it
// (the same text a query's result carries) or null. The bytes are decoded a row at a time, not a
// value at a time, which is where a FETCH's reading spent most of the export's time (issue 17).
//
// The text format (PostgreSQL's COPY, "Text Format"): a row per line ending in \n, its columns
// split by \t, `\N` alone a NULL; within a value a backslash escapes: \b \f \n \r \t \v, \ooo (one
// to three octal digits) and \xhh (one or two hex digits) a byte, and any other character itself
// (`\\` a backslash). COPY TO writes only the first kinds, but all are read.

const { escapeLiteral } = pg;
const BACKSLASH = "\\";
const NEWLINE = 0x0a;
const SIMPLE: Record<string, string> = { b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v" };
const BYTE_ESCAPE = /\\(?:[0-7]|x[0-9a-fA-F])/;

/**
 * `query` as one statement without parameters (COPY takes none): each value written as the literal
 * of its text, which the server reads as it reads a parameter of pg's (a text of unknown type, cast
 * where the query says so). Arrays as PostgreSQL's array text, as pg sends them.
 */
export function withLiterals(query: { text: string; values: readonly unknown[] }): string {
  return query.text.replace(/\$(\d+)/g, (_, n: string) => {
    const i = Number(n) - 1;
    if (i >= query.values.length) throw new Error(`the query has no value for $${n}`);
    const text = valueText(query.values[i]);
    return text === null ? "NULL" : escapeLiteral(text);
  });
}

function valueText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) {
    const item = (v: unknown) => {
      const text = valueText(v);
      return text === null ? "NULL" : `"${text.replace(/[\\"]/g, "\\$&")}"`;
    };
    return `{${value.map(item).join(",")}}`;
  }
  if (typeof value === "string" || typeof value === "number" || typeof value === "bigint")
    return String(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  throw new Error(`a query value of type ${typeof value} cannot be written as a literal`);
}

/** A value's text with its escapes resolved. */
export function unescapeCopyText(text: string): string {
  if (BYTE_ESCAPE.test(text)) return unescapeBytes(text);
  return text.replace(/\\(.)/gs, (_, c: string) => SIMPLE[c] ?? c);
}

/** unescapeCopyText when a byte escape is present: its bytes (UTF-8 with the others) are decoded. */
function unescapeBytes(text: string): string {
  const bytes: number[] = [];
  const plain = (s: string) => bytes.push(...Buffer.from(s, "utf8"));
  let i = 0;
  while (i < text.length) {
    const at = text.indexOf(BACKSLASH, i);
    if (at === -1 || at === text.length - 1) {
      plain(text.slice(i));
      break;
    }
    plain(text.slice(i, at));
    const rest = text.slice(at + 1);
    const octal = /^[0-7]{1,3}/.exec(rest)?.[0];
    const hex = /^x([0-9a-fA-F]{1,2})/.exec(rest);
    if (octal) {
      bytes.push(parseInt(octal, 8) & 0xff);
      i = at + 1 + octal.length;
    } else if (hex) {
      bytes.push(parseInt(hex[1]!, 16));
      i = at + 1 + hex[0].length;
    } else {
      const c = String.fromCodePoint(rest.codePointAt(0)!);
      plain(SIMPLE[c] ?? c);
      i = at + 1 + c.length;
    }
  }
  return Buffer.from(bytes).toString("utf8");
}

/**
 * COPY's text format parsed chunk by chunk, chunks cut anywhere (within a row, a value or a UTF-8
 * character): `push` gives the rows that a chunk completes. Each row is decoded from UTF-8 on its
 * own, whole: a row of ASCII makes one-byte strings (a chunk's text would be two-byte throughout
 * if one character of it were outside Latin-1, and so would every value sliced from it, which
 * doubled the writers' cost of encoding them again), and a character cut between chunks is
 * decoded once its row is complete.
 */
export class CopyTextParser {
  /** The start of a row that the previous chunks did not complete. */
  private rest: Buffer | null = null;

  constructor(private readonly columns: number) {}

  push(chunk: Buffer, rows: (string | null)[][]): void {
    let start = 0;
    let end = chunk.indexOf(NEWLINE);
    if (this.rest) {
      if (end === -1) {
        this.rest = Buffer.concat([this.rest, chunk]);
        return;
      }
      rows.push(this.row(Buffer.concat([this.rest, chunk.subarray(0, end)]).toString("utf8")));
      this.rest = null;
      start = end + 1;
      end = chunk.indexOf(NEWLINE, start);
    }
    for (; end !== -1; end = chunk.indexOf(NEWLINE, start)) {
      rows.push(this.row(chunk.toString("utf8", start, end)));
      start = end + 1;
    }
    if (start < chunk.length) this.rest = Buffer.from(chunk.subarray(start));
  }

  /** After the last chunk: what is left must be nothing (COPY ends every row with \n). */
  end(): void {
    if (this.rest) throw new Error("COPY's data ended within a row");
  }

  private row(line: string): (string | null)[] {
    const values: (string | null)[] = line.split("\t");
    if (values.length !== this.columns)
      throw new Error(`COPY gave a row of ${values.length} columns, not ${this.columns}`);
    for (let i = 0; i < values.length; i++) {
      const value = values[i]!;
      if (value.includes(BACKSLASH)) values[i] = value === "\\N" ? null : unescapeCopyText(value);
    }
    return values;
  }
}

/**
 * The rows of `COPY (select) TO STDOUT` on `client`, in batches of at most `batchSize`. A slow
 * reader holds back the database: the connection is read only as the batches are taken (the COPY
 * stream's buffer, then TCP's). If the reader stops early, or the COPY fails, the connection may be
 * in the middle of a COPY and cannot be used again: the caller ends it, which ends the COPY on the
 * server (its transaction rolls back).
 */
export async function* copyTextBatches(
  client: pg.ClientBase,
  select: string,
  columns: number,
  batchSize: number,
): AsyncGenerator<(string | null)[][], void, undefined> {
  const parser = new CopyTextParser(columns);
  const copy = client.query(copyTo(`COPY (${select}) TO STDOUT`, { highWaterMark: 256 * 1024 }));
  let rows: (string | null)[][] = [];
  try {
    for await (const chunk of copy as AsyncIterable<Buffer>) {
      parser.push(chunk, rows);
      if (rows.length >= batchSize) {
        let i = 0;
        for (; rows.length - i >= batchSize; i += batchSize) yield rows.slice(i, i + batchSize);
        rows = rows.slice(i);
      }
    }
    parser.end();
    if (rows.length > 0) yield rows;
  } finally {
    copy.destroy();
  }
}
