import fc from "fast-check";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useFreshDatabase } from "@/test/db";
import { seedInsightRows, type FixtureKey } from "@/test/fixtures/insight-rows";
import { EMPTY_FILTERS, type InsightFilters } from "@/lib/insight-table/filters";
import { streamInsightRows, streamRawInsightBatches } from "@/lib/insight-table/stream";
import { loadComplianceMappings } from "@/lib/verdict/compliance-file";
import type { FindingContext } from "./context";
import { jsonLinesChunks } from "./json-lines";
import { jsonlRecord } from "./jsonl";
import { rawJsonLinesChunks } from "./raw-jsonl";

// The export's JSON Lines is written from the rows' texts (rawJsonLinesChunks), taking short ways
// (tags copied from the jsonb's text, the remediation from a template, the frameworks as bytes made
// once). For generated odd values, its bytes must be those of jsonlRecord of the parsed rows, and
// each line must parse back to the values stored. Every run rewrites the same four keys whole.

const db = useFreshDatabase();

const ALL: InsightFilters = {
  ...EMPTY_FILTERS,
  severities: ["CRITICAL", "WARNING", "OK", "NOT_APPLICABLE"],
  statuses: ["open", "excepted", "resolved", "passing"],
};

async function text(chunks: AsyncIterable<Uint8Array>): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of chunks) parts.push(Buffer.from(chunk));
  return Buffer.concat(parts).toString("utf8");
}

// Texts PostgreSQL can hold (no NUL): any code point, and often the ones JSON, COPY, a shell or an
// object treat apart.
const AWKWARD = [
  '"',
  "\\",
  "\n",
  "\r",
  "\t",
  "\b",
  "\u0001",
  "\u001f",
  "\u007f",
  "\u2028",
  "é",
  "🔑",
  " ",
  "'",
];
const odd = (maxLength: number) =>
  fc
    .array(fc.oneof(fc.string({ unit: "binary", maxLength: 3 }), fc.constantFrom(...AWKWARD)), {
      maxLength,
    })
    .map((parts) => parts.join("").replaceAll("\u0000", ""));
const tagKey = fc.oneof(odd(4), fc.constantFrom("0", "10", "07", "__proto__", "", "Environment", "a"));
const tags = fc.oneof(
  // As the collector writes them: keys sorted, each once.
  fc
    .uniqueArray(fc.record({ key: tagKey, value: odd(6) }), { selector: (t) => t.key, maxLength: 5 })
    .map((list) => list.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))),
  // Anything: out of order, twice.
  fc.array(fc.record({ key: tagKey, value: odd(6) }), { maxLength: 5 }),
);
const word = fc.oneof(fc.constantFrom("mrk-1a2b", "1234abcd-12ab-34cd-56ef-1234567890ab", "alias/x"), odd(6));
const keyChange = fc.record({
  tags,
  keyId: word,
  region: fc.oneof(fc.constantFrom("eu-west-1", "us-gov-west-1"), odd(4)),
  aliases: fc.oneof(fc.constant(null), fc.array(fc.oneof(odd(5), fc.constant(null)), { maxLength: 3 })),
  reason: fc.constantFrom(
    "ROTATION_DISABLED",
    "ROTATION_PERIOD_EXCEEDS_POLICY",
    "DISABLED_KEY_ROTATION_OFF",
    "IMPORTED_MATERIAL_STALE",
    "ROTATION_STATUS_UNKNOWN",
    "ROTATION_ENABLED",
    "",
  ),
  primary: fc.oneof(fc.constant(null), fc.constantFrom("arn:aws:kms:eu-west-1:111122223333:key/mrk-1", "")),
  description: odd(12),
  accountName: odd(6),
});

let client: pg.Client;
let live: FixtureKey[];
let ctx: FindingContext;

beforeAll(async () => {
  ({ live } = await seedInsightRows(db.prisma));
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
  ctx = { compliance: await loadComplianceMappings(), maxRotationDays: 365 };
});

afterAll(async () => {
  await client.end();
});

describe("the export's JSON Lines from the rows' texts", () => {
  it("is byte for byte jsonlRecord's of the parsed rows, and parses back to the stored values", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(keyChange, { minLength: 4, maxLength: 4 }), async (changes) => {
        for (const [i, c] of changes.entries()) {
          await client.query(
            `UPDATE kms_keys SET tags = $1, key_id = $2, region = $3, aliases = $4, reason = $5,
               primary_key_arn = $6, finding_description = $7 WHERE id = $8`,
            [
              JSON.stringify(c.tags),
              `${c.keyId}#${i}`,
              c.region,
              c.aliases,
              c.reason,
              c.primary,
              c.description,
              live[i]!.id,
            ],
          );
          await client.query(
            `UPDATE aws_accounts SET name = $1 WHERE id = (SELECT account_id FROM kms_keys WHERE id = $2)`,
            [c.accountName, live[i]!.id],
          );
        }
        const expected = await text(
          jsonLinesChunks(streamInsightRows(db.url, ALL, null), (row) => jsonlRecord(row, ctx)),
        );
        const actual = await text(rawJsonLinesChunks(streamRawInsightBatches(db.url, ALL, null, 7), ctx));
        expect(actual).toBe(expected);

        const lines = actual
          .trimEnd()
          .split("\n")
          .map((line) => JSON.parse(line) as Record<string, unknown>);
        for (const [i, c] of changes.entries()) {
          const line = lines.find((l) => l.arn === live[i]!.arn)!;
          expect(line.keyId).toBe(`${c.keyId}#${i}`);
          expect(line.region).toBe(c.region);
          expect(line.aliases).toEqual(c.aliases ?? []);
          expect(line.description).toBe(c.description);
          // The last account written wins where two keys share one.
          const lastOfAccount = changes.findLast((_, j) => live[j]!.accountId === live[i]!.accountId)!;
          expect(line.accountName).toBe(lastOfAccount.accountName);
          expect(line.tags).toEqual(Object.fromEntries(c.tags.map((t) => [t.key, t.value])));
          expect(Object.keys(line.tags as object)).toEqual(
            Object.keys(Object.fromEntries(c.tags.map((t) => [t.key, t.value]))),
          );
        }
      }),
      { numRuns: 40 },
    );
  }, 120_000);
});
