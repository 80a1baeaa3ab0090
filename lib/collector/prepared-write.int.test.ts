import { PrismaPg } from "@prisma/adapter-pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { finalizeScan, finishScanTarget } from "@/lib/collector/scan";
import { writeKeys } from "@/lib/collector/write-keys";
import { PrismaClient } from "@/lib/generated/prisma/client";
import type { CollectedKey } from "@/lib/kms/collect-region";
import { freshDatabase, useFreshDatabase, type TestDatabase } from "@/test/db";
import { addScan } from "@/test/fixtures/dashboard-rows";
import { PAGING_ACCOUNTS, seedPagingEstate } from "@/test/fixtures/paging-estate";

// A scan job's statements run as named prepared statements on our pg pool (queryPrepared), or
// through Prisma when the client has no pool of ours. Both must leave exactly the same keys, tags,
// history, events, counts and scan outcome: the same estate is written through each, on two
// databases, and everything a user can see of it is compared.

const prepared = useFreshDatabase();
let other: TestDatabase & { drop(): Promise<void> };
let viaPrisma: PrismaClient;

beforeAll(async () => {
  other = await freshDatabase();
  // A client over its own adapter: no pool of ours, so every statement goes through Prisma.
  viaPrisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: other.url }) });
});
afterAll(async () => {
  await viaPrisma.$disconnect();
  await other.drop();
});

const ACCOUNT = PAGING_ACCOUNTS[4].id; // the estate gives it no keys
const REGION = "eu-west-1";
const at = (h: number) => new Date(Date.UTC(2026, 11, 1, h, 0, 0, 125));

function key(n: number, severity: "CRITICAL" | "OK", tags: CollectedKey["tags"]): CollectedKey {
  const keyId = `0000000${n}-aaaa-4aaa-8aaa-00000000000${n}`;
  const arn = `arn:aws:kms:${REGION}:${ACCOUNT}:key/${keyId}`;
  return {
    keyId,
    arn,
    meta: null,
    aliases: [`alias/k${n}`],
    tags,
    rotation: {
      ok: true,
      enabled: severity === "OK",
      periodDays: severity === "OK" ? 365 : null,
      nextRotation: null,
    },
    lastRotation: null,
    finding: {
      severity,
      reason: severity === "OK" ? "ROTATION_ENABLED" : "ROTATION_DISABLED",
      rotationStatus: severity === "OK" ? "enabled" : "disabled",
      description: "",
      rotationPeriodDays: severity === "OK" ? 365 : null,
      nextRotation: null,
      lastRotation: null,
      error: null,
    },
    errors: [],
  };
}

/** The paging estate, then one account-region scanned twice: keys changing severity and tags, one gone. */
async function writeEstate(db: PrismaClient) {
  await seedPagingEstate(db);
  for (const [i, keys] of [
    [key(1, "CRITICAL", [{ key: "env", value: "prod" }]), key(2, "OK", []), key(3, "CRITICAL", null)],
    [key(1, "OK", [{ key: "env", value: "dev" }]), key(2, "CRITICAL", null)],
  ].entries()) {
    const scan = await addScan(db, {
      startedAt: at(i),
      status: "RUNNING",
      targets: [{ accountId: ACCOUNT, region: REGION }],
    });
    const target = await db.scanTarget.findFirstOrThrow({ where: { scanId: scan.id } });
    const job = { scanId: scan.id, targetId: target.id, accountId: ACCOUNT, region: REGION };
    await writeKeys(db, job, keys, { aliasesOk: true, now: at(i) });
    await finishScanTarget(db, job, {
      succeeded: true,
      error: null,
      errorCall: null,
      errorCode: null,
      attemptAt: at(i),
      keysSeen: keys.length,
      keyErrors: 0,
      calls: 7,
      durationMs: 100,
    });
    expect(await finalizeScan(db, scan.id)).toBe(true);
  }
}

/**
 * What the console shows of the estate, without the ids each database draws (and the instant of
 * the events and resolutions made outside a scan or by a key going, which the clock dates).
 */
async function seen(db: PrismaClient) {
  return db.$queryRawUnsafe<Record<string, unknown>[]>(`
    SELECT json_build_object(
      'keys', (SELECT json_agg(json_build_object('key', k.account_id || k.region || k.key_id, 'arn', k.arn,
          'severity', k.severity, 'status', k.status, 'overdue', k.overdue, 'reason', k.reason, 'tags', k.tags,
          'aliases', k.aliases, 'state', k.key_state, 'rotation', k.rotation_enabled, 'period', k.rotation_period_days,
          'evaluated', k.evaluated_at, 'first', k.first_seen_at, 'last', k.last_seen_at, 'gone', k.gone_at IS NOT NULL,
          'failing', k.failing_since, 'resolved', k.resolved_at IS NOT NULL, 'search', k.search_text)
        ORDER BY k.account_id, k.region, k.key_id) FROM kms_keys k),
      'tags', (SELECT json_agg(json_build_array(k.key_id, t.tag_key, t.tag_value) ORDER BY k.key_id, t.tag_key)
        FROM key_tags t JOIN kms_keys k ON k.id = t.kms_key_id),
      'history', (SELECT json_agg(json_build_array(k.key_id, h.severity, h.reason, h.evaluated_at)
          ORDER BY k.key_id, h.evaluated_at) FROM finding_history h JOIN kms_keys k ON k.id = h.kms_key_id),
      'events', (SELECT json_agg(json_build_array(k.key_id, e.kind, e.severity, e.reason,
          CASE WHEN e.scan_id IS NOT NULL THEN e.at END) ORDER BY k.key_id, e.kind, e.at) FROM finding_events e JOIN kms_keys k ON k.id = e.kms_key_id),
      'counts', (SELECT json_agg(c ORDER BY c::text) FROM kms_key_counts c),
      'tagCounts', (SELECT json_agg(c ORDER BY c::text) FROM kms_key_tag_value_counts c),
      'openDays', (SELECT json_agg(c ORDER BY c::text) FROM kms_key_open_days c),
      'regions', (SELECT json_agg(json_build_array(s.account_id, s.region, s.stale, s.key_count, s.last_success_at)
          ORDER BY s.account_id, s.region) FROM account_region_states s),
      'summaries', (SELECT json_agg(json_build_array(s.account_id, s.region, s.severity, s.count)
          ORDER BY s.account_id, s.region, s.severity, s.count) FROM scan_summaries s),
      'deltas', (SELECT json_agg(json_build_array(d.account_id, d.region, d.new, d.resolved, d.reopened, d.still_failing)
          ORDER BY d.account_id, d.region, d.new, d.resolved) FROM scan_deltas d),
      'scans', (SELECT json_agg(s.status ORDER BY s.started_at) FROM scans s)
    ) AS seen`);
}

describe("a scan job's writes as prepared statements", () => {
  it("leave the same keys, tags, history, events, counts and outcomes as through Prisma", async () => {
    await writeEstate(prepared.prisma);
    await writeEstate(viaPrisma);
    const [viaPool, viaClient] = [await seen(prepared.prisma), await seen(viaPrisma)];
    expect(viaPool).toEqual(viaClient);
    const s = viaPool[0]!.seen as { keys: { key: string; gone: boolean; status: string }[]; scans: string[] };
    // After the account-region's second scan: key 1's finding resolved, key 2's open, key 3 gone.
    const scanned = s.keys.filter((k) => k.key.startsWith(ACCOUNT + REGION));
    expect(scanned.map((k) => [k.gone, k.status])).toEqual([
      [false, "RESOLVED"],
      [false, "OPEN"],
      [true, "RESOLVED"],
    ]);
    expect(s.scans.slice(-2)).toEqual(["SUCCEEDED", "SUCCEEDED"]);
  });
});
