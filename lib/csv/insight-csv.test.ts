import { describe, expect, it } from "vitest";
import { parseRfc4180 } from "@/test/support/parse-rfc4180";
import { INSIGHT_COLUMNS, type InsightRow } from "@/lib/insight-table/columns";
import { sampleRow } from "@/test/fixtures/sample-row";
import { insightCsvStream, insightCsvWebStream } from "./insight-csv";

async function readNode(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks).toString("utf8");
}

const TRICKY_NAMES = [
  "Prod, EU",
  'The "main" one',
  "multi\nline",
  "clé 🔑 ключ",
  "=cmd|'/C calc'!A0",
  "-5",
  "\tTab",
  "plain",
];

function rowNumber(i: number): InsightRow {
  return {
    ...sampleRow,
    id: `row-${i}`,
    accountName: TRICKY_NAMES[i % TRICKY_NAMES.length]!,
    keyId: `key-${i}`,
    aliases: i % 3 === 0 ? [] : [`alias/a${i}`, "alias/b,c"],
    rotationPeriodDays: i % 2 === 0 ? null : 90 + (i % 2000),
    tags: [{ key: "+team", value: `v${i}` }],
  };
}

function* rows(count: number) {
  for (let i = 0; i < count; i++) yield rowNumber(i);
}

describe("insightCsvStream", () => {
  it("writes the spec's headers in order after a BOM", async () => {
    const csv = await readNode(insightCsvStream([]));
    expect(csv.startsWith("\uFEFF")).toBe(true);
    expect(parseRfc4180(csv.slice(1))).toEqual([
      [...INSIGHT_COLUMNS.map((column) => column.header), "Exception", "Exception Expires"],
    ]);
  });

  it("writes the row as the table shows it, neutralised", async () => {
    const csv = await readNode(insightCsvStream([{ ...sampleRow, accountName: "=HYPERLINK(1)" }]));
    const [, record] = parseRfc4180(csv.slice(1));
    expect(record).toEqual([
      "CRITICAL",
      "111122223333",
      "'=HYPERLINK(1)",
      "eu-west-1",
      sampleRow.keyId,
      "alias/orders, alias/billing",
      "disabled",
      "",
      "",
      "2026-03-02",
      "CUSTOMER",
      "SYMMETRIC_DEFAULT",
      "Enabled",
      "AWS_KMS",
      "env=prod; team=payments",
      "ROTATION_DISABLED",
      sampleRow.description,
      sampleRow.arn,
      "2026-11-30T08:15:00.000Z",
      "Open",
      "2026-10-01T08:15:00.000Z",
      "60",
      "2026-10-31",
      "",
      "",
    ]);
  });

  it("carries an excepted finding's exception for the auditor", async () => {
    const excepted: InsightRow = {
      ...sampleRow,
      status: "excepted",
      overdue: false,
      exception: {
        id: "exc-1",
        kind: "accepted-risk",
        justification: "Legacy HSM; replaced in Q2",
        owner: "owner@example.com",
        expiresAt: new Date("2027-03-01T00:00:00Z"),
      },
    };
    const [, record] = parseRfc4180((await readNode(insightCsvStream([excepted]))).slice(1));
    expect(record!.slice(-6)).toEqual([
      "Excepted",
      "2026-10-01T08:15:00.000Z",
      "60",
      "2026-10-31",
      "Accepted risk: Legacy HSM; replaced in Q2 (owner owner@example.com; exc-1)",
      "2027-03-01",
    ]);
  });

  it("10,000 rows parse back to the same cells", async () => {
    const records = parseRfc4180((await readNode(insightCsvStream(rows(10_000)))).slice(1));
    expect(records).toHaveLength(10_001);
    for (const i of [0, 1, 2, 3, 4, 5, 6, 7, 4_321, 9_999]) {
      const record = records[i + 1]!;
      const name = TRICKY_NAMES[i % TRICKY_NAMES.length]!;
      expect(record).toHaveLength(INSIGHT_COLUMNS.length + 2);
      expect(record[2]).toBe(/^[=\-\t]/.test(name) ? `'${name}` : name);
      expect(record[4]).toBe(`key-${i}`);
      expect(record[5]).toBe(i % 3 === 0 ? "" : `alias/a${i}, alias/b,c`);
      expect(record[7]).toBe(i % 2 === 0 ? "" : String(90 + (i % 2000)));
      expect(record[14]).toBe(`'+team=v${i}`);
    }
  });

  it("the web stream carries the same bytes, BOM included", async () => {
    // Bytes, not Response.text(): WHATWG UTF-8 decoding drops a leading BOM.
    const web = Buffer.from(await new Response(insightCsvWebStream(rows(50))).arrayBuffer());
    expect(web.toString("utf8")).toBe(await readNode(insightCsvStream(rows(50))));
  });
});
