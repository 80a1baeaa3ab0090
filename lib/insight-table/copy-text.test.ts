import { describe, expect, it } from "vitest";
import { CopyTextParser, unescapeCopyText, withLiterals } from "./copy-text";

// PostgreSQL's COPY TO text of a value (src/backend/commands/copyto.c): a backslash, \b \f \n \r
// \t \v escaped, everything else as it is; NULL as \N.
const copyText = (value: string | null) =>
  value === null
    ? "\\N"
    : value.replace(
        /[\\\b\f\n\r\t\v]/g,
        (c) =>
          ({ "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v" })[c] ?? "\\\\",
      );

const AWKWARD: (string | null)[][] = [
  ["plain", "", null, "tab\there", "new\nline"],
  ["back\\slash", "\\N", "cr\r\nlf", "é€😀 多字节", "\b\f\v"],
  ["\\", "ends with \\", "\t", "😀", null],
  ["", "", "", "", ""],
  [null, null, null, null, null],
];

function parse(chunks: Buffer[], columns: number): (string | null)[][] {
  const parser = new CopyTextParser(columns);
  const rows: (string | null)[][] = [];
  for (const chunk of chunks) parser.push(chunk, rows);
  parser.end();
  return rows;
}

describe("CopyTextParser", () => {
  const bytes = Buffer.from(AWKWARD.map((row) => row.map(copyText).join("\t") + "\n").join(""), "utf8");

  it("reads COPY's text of awkward values back, however the bytes are cut", () => {
    expect(parse([bytes], 5)).toEqual(AWKWARD);
    // Every cut into two and into one-byte pieces: within rows, escapes and multi-byte characters.
    for (let cut = 0; cut <= bytes.length; cut++)
      expect(parse([bytes.subarray(0, cut), bytes.subarray(cut)], 5), `cut at ${cut}`).toEqual(AWKWARD);
    expect(
      parse(
        [...bytes].map((b) => Buffer.from([b])),
        5,
      ),
    ).toEqual(AWKWARD);
  });

  it("refuses a row of another width and data that ends within a row", () => {
    expect(() => parse([Buffer.from("a\tb\n")], 3)).toThrow(/2 columns, not 3/);
    expect(() => parse([Buffer.from("a\tb\tc\nd")], 3)).toThrow(/within a row/);
  });
});

describe("unescapeCopyText", () => {
  it("reads octal and hex bytes (UTF-8 together), and any other escaped character as itself", () => {
    expect(unescapeCopyText("\\101\\x42\\7\\x9")).toBe("AB\x07\x09");
    expect(unescapeCopyText("\\303\\251t\\xc3\\xa9")).toBe("été");
    expect(unescapeCopyText("\\q\\.\\\\\\N")).toBe("q.\\N");
  });
});

describe("withLiterals", () => {
  it("writes each value as the literal of the text pg would send for it", () => {
    const sql = withLiterals({
      text: "SELECT $1, $2::text[], $3, $10",
      values: ["it's \\ here", ["a", 'b"c', "d\\e", null], null, 0, 0, 0, 0, 0, 0, 7],
    });
    expect(sql).toBe(`SELECT  E'it''s \\\\ here',  E'{"a","b\\\\"c","d\\\\\\\\e",NULL}'::text[], NULL, '7'`);
  });
});
