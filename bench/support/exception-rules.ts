import type pg from "pg";
import { applyException } from "@/lib/exceptions/apply";
import type { PrismaClient } from "@/lib/generated/prisma/client";

// Exception rules for the benchmarks, drawn from the keys a database holds (the generated estate
// of bench:query, or what bench:scan's first scans stored), the same rows on every run. Rule r's
// kind is (r * 37) % 100, so that the first rules already mix every kind: half list keys (1-20
// failing keys of one account-region), 15% cover an account-region, 20% a tag value in an
// account, 13% an alias prefix ("alias/app-") in an account-region, 2% a narrow alias prefix (an
// alias but its last character) in every account. Each comes into force through applyException,
// exactly as an approved exception does. A few revoked, expired and pending ones sit beside them.

const OWNER = "security-team@example.com";
const DAY = 86_400_000;

export interface RulesAdded {
  inForce: number;
  /** Live keys an exception in force covers, and those of them failing (now excepted). */
  keysCovered: number;
  excepted: number;
}

/**
 * Adds `count` exception rules in force at `now` (created up to 30 days before `createdBy`,
 * lasting 60-360 days; one in fifty within 10 days of it) and applies them.
 */
export async function addExceptionRules(
  client: pg.ClientBase,
  prisma: PrismaClient,
  opts: { count: number; now: Date; createdBy: Date },
): Promise<RulesAdded> {
  const { rows } = await client.query<{ id: string }>(RULES_SQL, [
    opts.count,
    opts.createdBy.toISOString(),
    OWNER,
  ]);
  await client.query(HISTORY_SQL, [new Date(opts.createdBy.getTime() - 200 * DAY).toISOString(), OWNER]);
  const inForce = rows.filter((r) => r.id).map((r) => r.id);
  for (const id of inForce) await applyException(prisma, id, opts.now);
  const { rows: covered } = await client.query<{ keys: number; excepted: number }>(
    `SELECT count(*)::int AS keys, count(*) FILTER (WHERE status = 'EXCEPTED')::int AS excepted
     FROM kms_keys WHERE exception_id IS NOT NULL AND gone_at IS NULL`,
  );
  return { inForce: inForce.length, keysCovered: covered[0]!.keys, excepted: covered[0]!.excepted };
}

// $1 rules, $2 the instant they are dated from, $3 the owner. The expiry check of the table
// (after creation, within 366 days) holds: created 0-29 days before $2, expiring 60-359 days
// after creation, or 10 days after $2.
const RULES_SQL = `
WITH places AS (
  SELECT account_id, region, (row_number() OVER (ORDER BY md5(account_id || region)) - 1)::int AS n
  FROM (SELECT DISTINCT account_id, region FROM kms_keys WHERE gone_at IS NULL) p
), rules AS (
  SELECT r, (r * 37) % 100 AS kind_n, p.account_id, p.region,
    $2::timestamptz - (r % 30) * interval '1 day' AS created_at
  FROM generate_series(0, $1::int - 1) r
  JOIN places p ON p.n = (r * 7919) % (SELECT count(*) FROM places)
), shaped AS (
  SELECT r.*, kl.arns, tg.tag_key, tg.tag_value, al.prefix, al.near
  FROM rules r
  LEFT JOIN LATERAL (
    SELECT array_agg(s.arn) AS arns FROM (
      SELECT k.arn FROM kms_keys k
      WHERE k.account_id = r.account_id AND k.region = r.region AND k.gone_at IS NULL
        AND k.severity IN ('CRITICAL', 'WARNING')
      ORDER BY md5(k.id || r.r) LIMIT 1 + r.r % 20) s
  ) kl ON r.kind_n < 50
  LEFT JOIN LATERAL (
    SELECT t.tag_key, t.tag_value FROM key_tags t JOIN kms_keys k ON k.id = t.kms_key_id
    WHERE k.account_id = r.account_id AND k.gone_at IS NULL
    ORDER BY md5(t.kms_key_id || t.tag_key || r.r) LIMIT 1
  ) tg ON r.kind_n BETWEEN 65 AND 84
  LEFT JOIN LATERAL (
    SELECT coalesce(substring(a FROM '^(alias/[^-/]+-)'), a) AS prefix, left(a, -1) AS near
    FROM kms_keys k CROSS JOIN LATERAL unnest(k.aliases) a
    WHERE k.account_id = r.account_id AND k.region = r.region AND k.gone_at IS NULL
    ORDER BY md5(k.id || a || r.r) LIMIT 1
  ) al ON r.kind_n >= 85
)
INSERT INTO exceptions (id, series_id, version, kind, justification, owner_email, created_by_email, created_at,
  expires_at, key_arns, accounts, regions, tag_key, tag_values, alias_prefix, approved_at, approved_by_email)
SELECT id, id, 1, CASE WHEN r % 7 = 0 THEN 'FALSE_POSITIVE' ELSE 'ACCEPTED_RISK' END::"ExceptionKind",
  'Benchmark rule ' || r || ': compensating control documented in the risk register.', $3, $3, created_at,
  CASE WHEN r % 50 = 7 THEN $2::timestamptz + interval '10 days'
       ELSE created_at + (60 + (r * 37) % 300) * interval '1 day' END,
  CASE WHEN kind_n < 50 THEN coalesce(arns, '{}') ELSE '{}' END,
  CASE WHEN kind_n < 98 THEN ARRAY[account_id] ELSE '{}' END::char(12)[],
  CASE WHEN kind_n < 65 OR kind_n BETWEEN 85 AND 97 THEN ARRAY[region] ELSE '{}' END,
  CASE WHEN tag_key IS NOT NULL THEN tag_key END,
  CASE WHEN tag_key IS NOT NULL THEN ARRAY[tag_value] ELSE '{}' END,
  CASE WHEN kind_n BETWEEN 85 AND 97 THEN prefix WHEN kind_n >= 98 THEN near END,
  created_at, $3
FROM (SELECT 'exc_bench' || lpad(r::text, 11, '0') AS id, s.* FROM shaped s) x
ORDER BY r
RETURNING id`;

// $1 when they were created, $2 the owner: 30 revoked, 20 expired, 10 pending, none in force.
const HISTORY_SQL = `
INSERT INTO exceptions (id, series_id, version, kind, justification, owner_email, created_by_email, created_at,
  expires_at, accounts, approved_at, approved_by_email, revoked_at, revoked_by_email)
SELECT id, id, 1, 'ACCEPTED_RISK', 'Benchmark rule, no longer in force.', $2, $2, $1::timestamptz,
  $1::timestamptz + CASE WHEN n < 50 THEN interval '180 days' ELSE interval '360 days' END,
  ARRAY[(SELECT id FROM aws_accounts ORDER BY md5(id || n) LIMIT 1)]::char(12)[],
  CASE WHEN n < 50 THEN $1::timestamptz END, CASE WHEN n < 50 THEN $2 END,
  CASE WHEN n < 30 THEN $1::timestamptz + interval '20 days' END, CASE WHEN n < 30 THEN $2 END
FROM (SELECT n, 'exc_benchold' || lpad(n::text, 8, '0') AS id FROM generate_series(0, 59) n) h`;
