import { beforeAll, describe, expect, it } from "vitest";
import { useFreshDatabase } from "@/test/db";
import { seedInsightRows } from "@/test/fixtures/insight-rows";
import { hostileQuery, rng } from "@/test/support/hostile-input";
import { parseInsightFilters } from "./filters";
import { fetchInsightPage, streamInsightRows } from "./query";

// Thousands of random and hostile query strings through the same parse-then-query path as the
// insight page and the CSV route: never an exception, never a change to the stored keys.

const db = useFreshDatabase();

async function fingerprint(): Promise<string> {
  const [row] = await db.prisma.$queryRaw<{ h: string }[]>`
    SELECT md5(string_agg(k::text, '|' ORDER BY k.id)) AS h FROM kms_keys k`;
  return row!.h;
}

beforeAll(async () => {
  await seedInsightRows(db.prisma);
}, 60_000);

describe("insight filters under fuzzing", () => {
  it(
    "parses and queries 3,000 hostile query strings without an error or a change",
    { timeout: 240_000 },
    async () => {
      const before = await fingerprint();
      const r = rng(20261130);
      let withNotices = 0;
      for (let i = 0; i < 3000; i++) {
        const qs = hostileQuery(r);
        let params: URLSearchParams;
        try {
          params = new URLSearchParams(qs);
        } catch {
          continue;
        }
        const { filters, notices } = parseInsightFilters(params);
        if (notices.length) withNotices++;
        const page = await fetchInsightPage(db.prisma, filters, i % 7 === 0 ? ["111111111111"] : null);
        expect(page.rows.length).toBeLessThanOrEqual(page.pageSize);
        expect(page.total).toBeGreaterThanOrEqual(page.rows.length);
        if (i % 100 === 0) {
          let streamed = 0;
          for await (const _row of streamInsightRows(db.url, filters, null)) streamed++;
          expect(streamed).toBe((await fetchInsightPage(db.prisma, { ...filters, page: 1 }, null)).total);
        }
      }
      // The generator must really produce bad input, or this test would prove nothing.
      expect(withNotices).toBeGreaterThan(1000);
      expect(await fingerprint()).toBe(before);
    },
  );
});
