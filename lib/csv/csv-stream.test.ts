import { stringify } from "csv-stringify/sync";
import { describe, expect, it } from "vitest";
import { parseRfc4180 } from "@/test/support/parse-rfc4180";
import {
  type CsvColumn,
  csvChunks,
  csvField,
  csvFileName,
  csvRecord,
  csvStream,
  csvWebStream,
  recordChunks,
} from "./csv-stream";

const columns: CsvColumn<string[]>[] = [
  { header: "A", value: (row) => row[0]! },
  { header: "B", value: (row) => row[1]! },
];

async function text(rows: Iterable<string[]>): Promise<string> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of csvChunks(columns, rows)) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

describe("csvChunks", () => {
  it("starts with a UTF-8 BOM and the header row, and ends records with CRLF", async () => {
    const bytes = Buffer.from(await text([["1", "2"]]), "utf8");
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.subarray(3).toString("utf8")).toBe("A,B\r\n1,2\r\n");
  });

  it.each([
    ["a comma", "a,b", '"a,b"'],
    ["a quote, doubled", 'say "hi"', '"say ""hi"""'],
    ["a line feed", "line1\nline2", '"line1\nline2"'],
    ["a carriage return inside", "x\ry", '"x\ry"'],
    ["CRLF", "x\r\ny", '"x\r\ny"'],
    ["unicode, unquoted", "clé 🔑 ключ", "clé 🔑 ключ"],
  ])("quotes %s", async (_name, cell, expected) => {
    expect(await text([[cell, ""]])).toBe(`\uFEFFA,B\r\n${expected},\r\n`);
  });

  it("neutralises formula cells, then quotes them when needed", async () => {
    expect(await text([["=1+1", "-5,6"]])).toBe(`\uFEFFA,B\r\n'=1+1,"'-5,6"\r\n`);
  });

  it("writes only the header for no rows", async () => {
    expect(await text([])).toBe("\uFEFFA,B\r\n");
  });
});

function countingRows(total: number) {
  const state = { pulled: 0, closed: false };
  async function* rows() {
    try {
      for (let i = 0; i < total; i++) {
        state.pulled++;
        yield [`row ${i}`, "x".repeat(100)];
      }
    } finally {
      state.closed = true;
    }
  }
  return { state, rows: rows() };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

describe("backpressure: a slow consumer does not make the writer read ahead", () => {
  it("Node stream: reads nothing before the consumer, and one chunk ahead at most after", async () => {
    const { state, rows } = countingRows(1_000_000);
    const stream = csvStream(columns, rows);
    await settle();
    expect(state.pulled).toBe(0);

    const reader = stream[Symbol.asyncIterator]();
    await reader.next();
    await settle();
    expect(state.pulled).toBeGreaterThan(0);
    expect(state.pulled).toBeLessThanOrEqual(2_000);
    const pulledWhileIdle = state.pulled;
    await settle();
    expect(state.pulled).toBe(pulledWhileIdle);

    stream.destroy();
    await settle();
    expect(state.closed).toBe(true);
  });

  it("web stream: pulls only what the reader asks for, and closes the source on cancel", async () => {
    const { state, rows } = countingRows(1_000_000);
    const reader = csvWebStream(columns, rows).getReader();
    await settle();
    expect(state.pulled).toBe(0);

    await reader.read(); // header
    await reader.read(); // first chunk of rows
    await settle();
    expect(state.pulled).toBeGreaterThan(0);
    expect(state.pulled).toBeLessThanOrEqual(2_000);

    await reader.cancel();
    expect(state.closed).toBe(true);
  });

  it("a full read still delivers every row", async () => {
    const { state, rows } = countingRows(5_000);
    const bytes = Buffer.from(await new Response(csvWebStream(columns, rows)).arrayBuffer());
    const records = parseRfc4180(bytes.toString("utf8").slice(1));
    expect(records).toHaveLength(5_001);
    expect(records[0]).toEqual(["A", "B"]);
    expect(records[5_000]?.[0]).toBe("row 4999");
    expect(state.closed).toBe(true);
  });
});

describe("recordChunks", () => {
  it("writes records given as texts and as UTF-8 bytes in order, whatever their size", async () => {
    const big = "é🔑".repeat(30_000); // 210,000 bytes: more than a chunk's buffer
    const pieces: (string | Uint8Array)[] = [];
    let expected = "first\n";
    for (let i = 0; i < 3_000; i++) {
      const text = i % 1_000 === 999 ? big : `row ${i} ü,`;
      const bytes = i % 1_000 === 500 ? big : ` tail ${i}\n`;
      pieces.push(text, Buffer.from(bytes, "utf8"));
      expected += text + bytes;
    }
    const chunks: Uint8Array[] = [];
    async function* groups() {
      for (let i = 0; i < pieces.length; i += 7) yield pieces.slice(i, i + 7);
    }
    for await (const chunk of recordChunks("first\n", groups())) chunks.push(chunk);
    expect(Buffer.concat(chunks).toString("utf8")).toBe(expected);
    expect(chunks.length).toBeGreaterThan(10);
  });
});

describe("csvFileName", () => {
  it("names the file by prefix and UTC date", () => {
    expect(csvFileName("kms-key-rotation", new Date("2026-11-30T23:30:00-05:00"))).toBe(
      "kms-key-rotation-2026-12-01.csv",
    );
    expect(csvFileName("kms-key-rotation", new Date("2026-11-30T08:00:00Z"))).toBe(
      "kms-key-rotation-2026-11-30.csv",
    );
  });

  it("keeps only filename-safe characters in the prefix", () => {
    expect(csvFileName('audit log"/..', new Date("2026-11-30T00:00:00Z"))).toBe(
      "audit-log-..-2026-11-30.csv",
    );
  });
});

describe("csvField and csvRecord: the bytes csv-stringify writes", () => {
  // The writer replaced csv-stringify for speed; every field must come out exactly as it did.
  const reference = (fields: string[]) =>
    stringify([fields], { record_delimiter: "\r\n", quote_record_delimiter: true });
  const ALPHABET = ['"', ",", "\r", "\n", " ", "\t", "a", "Z", "=", "-", "'", ";", "é", "🔑", "\u2028", "\0"];

  it.each([
    "",
    "plain",
    'a"b',
    '""',
    "a,b",
    ",",
    "a\rb",
    "a\nb",
    "\r\n",
    "a\r",
    "\nb",
    " x ",
    "'=1",
    "🔑,🔑",
  ])("writes %j as csv-stringify does", (value) => {
    expect(csvRecord([value, value])).toBe(reference([value, value]));
  });

  it("agrees on 20,000 random records", () => {
    let seed = 7;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    for (let n = 0; n < 20_000; n++) {
      const fields = Array.from({ length: 1 + Math.floor(next() * 5) }, () =>
        Array.from(
          { length: Math.floor(next() * 8) },
          () => ALPHABET[Math.floor(next() * ALPHABET.length)],
        ).join(""),
      );
      expect(csvRecord(fields), JSON.stringify(fields)).toBe(reference(fields));
    }
  });

  it("quotes exactly the fields that need it", () => {
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("x\ry")).toBe('"x\ry"');
    expect(csvField("=1+1")).toBe("=1+1");
  });
});
