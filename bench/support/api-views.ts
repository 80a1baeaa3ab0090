import { randomBytes } from "node:crypto";
import { handleApiRequest } from "@/lib/api/handle";
import { hashSecret, TOKEN_PREFIX } from "@/lib/api/tokens";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { accountId, REGIONS } from "./estate";
import { median, ms, p95, verdict } from "./measure";

// The API's findings endpoint as a script calls it: the whole request through handleApiRequest
// (bearer token checked, the rate window counted, the query parsed, the page read, JSON written),
// a first page of 50, the page after it by its cursor, and page 21 by the cursor that a walk of the
// 20 pages before it gives. A bench user and token are inserted for the run and deleted after it (no
// audit entry: the audit log is append-only).

const P95_TARGET_MS = 200;
const DEEP_PAGE = 21;

interface ApiView {
  name: string;
  query: string;
}

function apiViews(keys: number): ApiView[] {
  const account = accountId(Math.min(17, Math.max(0, Math.ceil(keys / 5000) - 1)));
  return [
    { name: "api: severity CRITICAL", query: "severity=CRITICAL&limit=50" },
    { name: "api: CRITICAL, one region", query: `severity=CRITICAL&region=${REGIONS[1]}&limit=50` },
    { name: "api: one account, open", query: `account=${account}&status=open&limit=50` },
  ];
}

export async function measureApiViews(
  prisma: PrismaClient,
  opts: { keys: number; runs: number; only: string | null },
): Promise<{ rows: string[][]; missed: number }> {
  const views = apiViews(opts.keys).filter((v) => opts.only === null || v.name.includes(opts.only));
  if (!views.length) return { rows: [], missed: 0 };
  const secret = TOKEN_PREFIX + randomBytes(32).toString("base64url");
  const user = await prisma.user.create({
    data: { email: `bench-api-${Date.now()}@bench.test`, passwordHash: "-", role: "VIEWER" },
  });
  await prisma.apiToken.create({
    data: {
      userId: user.id,
      name: "bench",
      prefix: secret.slice(0, 11),
      secretHash: hashSecret(secret),
      role: "VIEWER",
      expiresAt: new Date(Date.now() + 86_400_000),
    },
  });
  const ctx = {
    db: prisma,
    exports: null,
    scans: () => Promise.reject(new Error("no scans in the bench")),
    rate: { limit: 1_000_000_000, windowMs: 60_000 },
  };
  const get = async (query: string) => {
    const t = performance.now();
    const res = await handleApiRequest(
      ctx,
      new Request(`http://bench/api/v1/findings?${query}`, {
        headers: { authorization: `Bearer ${secret}` },
      }),
      "127.0.0.1",
    );
    const body = (await res.json()) as { items: unknown[]; total: number; nextCursor: string | null };
    if (res.status !== 200) throw new Error(`${query}: ${res.status} ${JSON.stringify(body)}`);
    return { ms: performance.now() - t, body };
  };
  const rows: string[][] = [["api view", "rows", "page", "p50", "p95", "p95<200ms"]];
  let missed = 0;
  try {
    for (const view of views) {
      const first = await get(view.query);
      const after = (cursor: string | null) =>
        cursor ? `${view.query}&cursor=${encodeURIComponent(cursor)}` : null;
      // The cursor of page 21: the walk read the 20 pages before it.
      let deep = first.body.nextCursor;
      for (let i = 1; i < DEEP_PAGE - 1 && deep; i++) deep = (await get(after(deep)!)).body.nextCursor;
      for (const [page, query] of [
        ["first", view.query],
        ["next (cursor)", after(first.body.nextCursor)],
        [`page ${DEEP_PAGE} (cursor)`, after(deep)],
      ] as const) {
        if (!query) continue;
        for (let i = 0; i < 3; i++) await get(query);
        const samples: number[] = [];
        for (let i = 0; i < opts.runs; i++) samples.push((await get(query)).ms);
        const fast = p95(samples) < P95_TARGET_MS;
        if (!fast) missed++;
        rows.push([
          view.name,
          first.body.total.toLocaleString("en-US"),
          page,
          ms(median(samples)),
          ms(p95(samples)),
          verdict(fast),
        ]);
        console.log(
          `  ${`${view.name}, ${page}`.padEnd(44)} p50 ${ms(median(samples)).padStart(9)} p95 ${ms(p95(samples)).padStart(9)}`,
        );
      }
    }
  } finally {
    await prisma.user.delete({ where: { id: user.id } });
  }
  return { rows, missed };
}
