import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import { useFreshDatabase } from "@/test/db";
import { seedInsightRows } from "@/test/fixtures/insight-rows";
import { EMPTY_FILTERS, type InsightFilters } from "@/lib/insight-table/filters";
import { streamInsightRows, streamRawInsightBatches } from "@/lib/insight-table/stream";
import { jsonLinesChunks, jsonLinesOfBatches } from "@/lib/findings-format/json-lines";
import { jsonlRecord } from "@/lib/findings-format/jsonl";
import { rawJsonLinesChunks } from "@/lib/findings-format/raw-jsonl";
import { loadComplianceMappings } from "@/lib/verdict/compliance-file";
import { csvChunks } from "./csv-stream";
import { INSIGHT_CSV_COLUMNS } from "./insight-csv";
import { rawInsightCsvChunks } from "./raw-insight-csv";

// The export writes the CSV from the rows' texts (rawInsightCsvChunks) and the JSON formats from
// batches: the bytes must be those of the table's rows written column by column, for any value,
// including the odd ones that take the long way.

const db = useFreshDatabase();

const ALL: InsightFilters = {
  ...EMPTY_FILTERS,
  severities: ["CRITICAL", "WARNING", "OK", "NOT_APPLICABLE"],
  statuses: ["open", "excepted", "resolved", "passing"],
};

async function bytes(chunks: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of chunks) parts.push(Buffer.from(chunk));
  return Buffer.concat(parts);
}

beforeAll(async () => {
  const { live } = await seedInsightRows(db.prisma);
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    const odd: [string, unknown[]][] = [
      [
        `UPDATE aws_accounts SET name = $1 WHERE id = (SELECT account_id FROM kms_keys WHERE id = $2)`,
        ['=1+2, "q"\r\nx', live[0]!.id],
      ],
      [
        `UPDATE kms_keys SET aliases = $1 WHERE id = $2`,
        [["alias/a,b", 'alias/"q"', "NULL", "with space", "", "{x}", "back\\slash"], live[1]!.id],
      ],
      [`UPDATE kms_keys SET aliases = ARRAY['alias/x', NULL, 'alias/y'] WHERE id = $1`, [live[2]!.id]],
      [`UPDATE kms_keys SET aliases = '{{a,b},{c,d}}' WHERE id = $1`, [live[3]!.id]],
      [
        `UPDATE kms_keys SET tags = $1 WHERE id = $2`,
        [
          JSON.stringify([
            { key: "z", value: "1" },
            { key: "a", value: "=2" },
            { key: "a", value: "first?" },
          ]),
          live[4]!.id,
        ],
      ],
      [
        `UPDATE kms_keys SET tags = $1 WHERE id = $2`,
        [
          JSON.stringify([
            { key: "n", value: 1.5 },
            { key: "o", value: null },
            { key: "p" },
            "str",
            null,
            { key: "q", value: { x: 1 } },
            { value: "no key" },
          ]),
          live[5]!.id,
        ],
      ],
      [
        `UPDATE kms_keys SET tags = $1 WHERE id = $2`,
        [
          JSON.stringify([
            { key: "\u{1F511}", value: "astral" },
            { key: "\uFF21", value: "wide" },
            { key: "-x", value: "+y" },
          ]),
          live[6]!.id,
        ],
      ],
      [`UPDATE kms_keys SET tags = '{"key": "not", "value": "an array"}' WHERE id = $1`, [live[7]!.id]],
      [`UPDATE kms_keys SET tags = 'null' WHERE id = $1`, [live[8]!.id]],
      [
        `UPDATE kms_keys SET next_rotation = '0999-03-04 05:06:07.8+00', last_rotation = '12345-01-02 00:00:00+00' WHERE id = $1`,
        [live[9]!.id],
      ],
      [
        `UPDATE kms_keys SET next_rotation = 'infinity', last_rotation = '-infinity' WHERE id = $1`,
        [live[10]!.id],
      ],
      [
        `UPDATE kms_keys SET next_rotation = '0044-03-15 00:00:00+00 BC', evaluated_at = '2026-01-02 03:04:05.1+00' WHERE id = $1`,
        [live[11]!.id],
      ],
      [
        `UPDATE kms_keys SET evaluated_at = '2026-01-02 03:04:05.12+00', rotation_period_days = -5 WHERE id = $1`,
        [live[12]!.id],
      ],
      [
        `UPDATE kms_keys SET evaluated_at = '2026-01-02 03:04:05.123+00', finding_description = $1 WHERE id = $2`,
        ['@SUM(1) "quoted", and\nmore\r\n\uFF1Dwide', live[13]!.id],
      ],
      [
        `UPDATE kms_keys SET key_id = $1, region = $2, origin = $3 WHERE id = $4`,
        ["\tkey", "+region", "clé 🔑 ключ", live[14]!.id],
      ],
      // Keys in order with one twice: the CSV keeps both, an object the last.
      [
        `UPDATE kms_keys SET tags = $1 WHERE id = $2`,
        [
          JSON.stringify([
            { key: "a", value: "1" },
            { key: "a", value: "2" },
            { key: "b", value: "3" },
          ]),
          live[15]!.id,
        ],
      ],
      // JSON: a key an object keeps as its own, strings JSON escapes; keys an object puts first.
      [
        `UPDATE kms_keys SET tags = $1 WHERE id = $2`,
        [
          JSON.stringify([
            { key: "__proto__", value: "p" },
            { key: "b", value: '\u0001 "q" \\ \u2028 \u007f' },
          ]),
          live[16]!.id,
        ],
      ],
      [
        `UPDATE kms_keys SET tags = $1 WHERE id = $2`,
        [
          JSON.stringify([
            { key: "10", value: "ten" },
            { key: "9", value: "nine" },
          ]),
          live[17]!.id,
        ],
      ],
      // The remediation: a replica (rotation on its primary), a key id that needs quoting.
      [
        `UPDATE kms_keys SET primary_key_arn = $1, primary_region = NULL, reason = 'ROTATION_DISABLED' WHERE id = $2`,
        ["arn:aws:kms:eu-west-1:111122223333:key/mrk-1", live[18]!.id],
      ],
      [
        `UPDATE kms_keys SET key_id = $1, reason = 'IMPORTED_MATERIAL_STALE', resolved_reason = 'x' WHERE id = $2`,
        ["key 'quoted'", live[19]!.id],
      ],
      // An excepted finding (its exception in the row).
      [
        `INSERT INTO exceptions (id, series_id, kind, justification, owner_email, created_by_email, expires_at, approved_at)
         VALUES ('x-odd', 'x-odd', 'FALSE_POSITIVE', $1, 'o@example.com', 'c@example.com', now() + interval '300 days 0.6 seconds', now())`,
        ['=cmd "why"\nnext'],
      ],
      [`UPDATE kms_keys SET exception_id = 'x-odd' WHERE id = $1`, [live[1]!.id]],
    ];
    for (const [sql, values] of odd) await client.query(sql, values);
  } finally {
    await client.end();
  }
});

describe("the export's CSV from the rows' texts", () => {
  it("is byte for byte the CSV of the parsed rows, odd values included, in any batch size", async () => {
    const expected = await bytes(csvChunks(INSIGHT_CSV_COLUMNS, streamInsightRows(db.url, ALL, null)));
    expect(expected.toString("utf8").split("\r\n").length).toBeGreaterThan(60);
    for (const batchSize of [1, 7, 1000]) {
      const actual = await bytes(rawInsightCsvChunks(streamRawInsightBatches(db.url, ALL, null, batchSize)));
      expect(actual.toString("utf8")).toBe(expected.toString("utf8"));
      expect(actual.equals(expected)).toBe(true);
    }
  });

  it("JSON Lines from batches is byte for byte that of the rows", async () => {
    // The JSON formats have no text for an infinite timestamp (jsonlRecord throws, as it did).
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await client.query(
      `UPDATE kms_keys SET next_rotation = NULL, last_rotation = NULL WHERE NOT isfinite(next_rotation)`,
    );
    await client.end();
    const ctx = { compliance: await loadComplianceMappings(), maxRotationDays: 365 };
    const expected = await bytes(
      jsonLinesChunks(streamInsightRows(db.url, ALL, null), (row) => jsonlRecord(row, ctx)),
    );
    expect(expected.toString("utf8")).toContain('"status":"excepted"');
    const actual = await bytes(
      jsonLinesOfBatches(streamRawInsightBatches(db.url, ALL, null, 7), (row) => jsonlRecord(row, ctx)),
    );
    expect(actual.equals(expected)).toBe(true);
    // The export's JSON Lines, written from the rows' texts.
    for (const batchSize of [1, 7, 1000]) {
      const raw = await bytes(rawJsonLinesChunks(streamRawInsightBatches(db.url, ALL, null, batchSize), ctx));
      expect(raw.toString("utf8")).toBe(expected.toString("utf8"));
      expect(raw.equals(expected)).toBe(true);
    }
  });
});
