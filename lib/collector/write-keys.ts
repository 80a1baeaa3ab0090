import { randomUUID } from "node:crypto";
import { queryPrepared } from "@/lib/db/client";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { CollectedKey } from "@/lib/kms/collect-region";
import { coveringSql, FAILING, inForceSql, placeSql } from "@/lib/exceptions/coverage";

// Writes collected keys in batches, one statement (so one transaction) per batch: the keys
// (upserted on account+region+key id, so a re-run never duplicates) with the exception in force
// that covers each, their tags (replaced only when they were read), and one finding_history row
// per key for this scan. What could not be read this time (metadata, tags, aliases) keeps its
// stored value. The finding's life (status, first failed, resolved, reopened, due) and its events
// follow from the triggers on kms_keys (migration 20261203100000), in the same statement.

export const WRITE_BATCH_SIZE = 500;

interface Target {
  scanId: string;
  accountId: string;
  region: string;
}

function toRecord(t: Target, k: CollectedKey, aliasesOk: boolean, now: Date) {
  const m = k.meta;
  return {
    id: randomUUID(),
    key_id: k.keyId,
    arn: k.arn || `arn:aws:kms:${t.region}:${t.accountId}:key/${k.keyId}`,
    meta_ok: m !== null,
    description: m?.description ?? "",
    key_state: m?.keyState ?? "Unknown",
    key_manager: m?.keyManager ?? "Unknown",
    key_spec: m?.keySpec ?? "Unknown",
    key_usage: m?.keyUsage ?? null,
    origin: m?.origin ?? "Unknown",
    enabled: m?.enabled ?? false,
    creation_date: m?.creationDate?.toISOString() ?? null,
    deletion_date: m?.deletionDate?.toISOString() ?? null,
    multi_region: m?.multiRegion ?? false,
    multi_region_type: m?.multiRegionType ?? null,
    primary_key_arn: m?.primaryKeyArn ?? null,
    primary_region: m?.primaryRegion ?? null,
    aliases_ok: aliasesOk,
    aliases: k.aliases,
    tags_ok: k.tags !== null,
    tags: k.tags ?? [],
    rotation_enabled: k.rotation?.ok ? k.rotation.enabled : null,
    rotation_period_days: k.finding.rotationPeriodDays,
    next_rotation: k.finding.nextRotation?.toISOString() ?? null,
    last_rotation: k.lastRotation?.toISOString() ?? null,
    rotation_error: k.rotation && !k.rotation.ok ? k.rotation.error : null,
    collect_error: k.errors.length ? k.errors.join("; ").slice(0, 4000) : null,
    severity: k.finding.severity,
    reason: k.finding.reason,
    finding_description: k.finding.description,
    rotation_status: k.finding.rotationStatus,
    evaluated_at: now.toISOString(),
  };
}

export async function writeKeys(
  db: PrismaClient,
  target: Target,
  keys: CollectedKey[],
  opts: { aliasesOk: boolean; now?: Date },
): Promise<void> {
  const now = opts.now ?? new Date();
  for (let i = 0; i < keys.length; i += WRITE_BATCH_SIZE) {
    const batch = keys.slice(i, i + WRITE_BATCH_SIZE).map((k) => toRecord(target, k, opts.aliasesOk, now));
    await queryPrepared(db, "collector_write_keys", WRITE_BATCH, [
      target.scanId,
      target.accountId,
      target.region,
      JSON.stringify(batch),
      now.toISOString(),
    ]);
  }
}

// prettier-ignore
const META_COLS = [
  "description", "key_state", "key_manager", "key_spec", "key_usage", "origin", "enabled", "creation_date",
  "deletion_date", "multi_region", "multi_region_type", "primary_key_arn", "primary_region",
];
// prettier-ignore
const ALWAYS_COLS = [
  "arn", "rotation_enabled", "rotation_period_days", "next_rotation", "last_rotation", "rotation_error",
  "collect_error", "reason", "finding_description", "rotation_status", "evaluated_at",
];
const RECORD_COLUMNS = `
  id text, key_id text, arn text, meta_ok boolean, description text, key_state text, key_manager text,
  key_spec text, key_usage text, origin text, enabled boolean, creation_date timestamptz,
  deletion_date timestamptz, multi_region boolean, multi_region_type text, primary_key_arn text,
  primary_region text, aliases_ok boolean, aliases text[], tags_ok boolean, tags jsonb,
  rotation_enabled boolean, rotation_period_days int, next_rotation timestamptz, last_rotation timestamptz,
  rotation_error text, collect_error text, severity text, reason text, finding_description text,
  rotation_status text, evaluated_at timestamptz`;

// One statement: the batch's JSON ($4) is parsed once, in one round trip; the statement itself is
// parsed and planned once per connection (a prepared statement, queryPrepared). It names its scan
// ($1) in the transaction setting insights.scan_id, which the events trigger reads (cfg, evaluated before any row is written since r reads it). The exceptions in
// force at $5 whose accounts and regions admit this account-region are read once ("rules"); each
// failing key then takes the one that covers it and expires last. Each step reads the key ids the upsert returned ("ids"), never kms_keys itself, since
// the sub-statements of one statement do not see each other's changes. Tags are diffed rather
// than deleted and inserted again: the rows it deletes (tags gone) and the rows it upserts (tags
// read) never overlap, and an unchanged tag is not written at all. Only updated keys can have tags
// to delete (an inserted key's id is new); their ids go to the delete as an array, so that it reads
// key_tags by its primary key whatever the planner estimates (as a join it was planned as a scan of
// the whole table, which a first scan of many account-regions grows job after job), and a write
// that updated no key skips the delete altogether (its condition on "retagged" is checked once,
// before any row is read): a connection keeps the plan it made while key_tags was small, and a
// first scan's writes, which only insert, then never scan the table it grows. Column lists
// are constants of this file; the only inputs are the parameters.
const RULES = `SELECT x.id, x.expires_at, x.key_arns, x.accounts, x.regions, x.tag_key, x.tag_values, x.alias_prefix
  FROM exceptions x WHERE ${inForceSql("x", "$5::timestamptz")} AND ${placeSql("x", "$2", "$3")}`;
const COVERING_UPDATED = coveringSql("rules", {
  arn: "r.arn",
  account: "$2",
  region: "$3",
  tags: "CASE WHEN r.tags_ok THEN r.tags ELSE k.tags END",
  aliases: "CASE WHEN r.aliases_ok THEN r.aliases ELSE k.aliases END",
});
const COVERING_INSERTED = coveringSql("rules", {
  arn: "r.arn",
  account: "$2",
  region: "$3",
  tags: "r.tags",
  aliases: "r.aliases",
});
const WRITE_BATCH = `
WITH cfg AS MATERIALIZED (
  SELECT set_config('insights.scan_id', $1, true) AS scan_id
),
r AS MATERIALIZED (
  SELECT r.* FROM cfg, jsonb_to_recordset($4::jsonb) AS r(${RECORD_COLUMNS})
),
rules AS MATERIALIZED (${RULES}),
updated AS (
  UPDATE kms_keys k SET
    ${META_COLS.map((c) => `${c} = CASE WHEN r.meta_ok THEN r.${c} ELSE k.${c} END`).join(",\n    ")},
    ${ALWAYS_COLS.map((c) => `${c} = r.${c}`).join(",\n    ")},
    aliases = CASE WHEN r.aliases_ok THEN r.aliases ELSE k.aliases END,
    tags = CASE WHEN r.tags_ok THEN r.tags ELSE k.tags END,
    severity = r.severity::"Severity",
    exception_id = CASE WHEN r.severity IN ${FAILING} THEN ${COVERING_UPDATED} END,
    last_seen_at = r.evaluated_at,
    last_scan_id = $1,
    gone_at = NULL
  FROM r
  WHERE k.account_id = $2 AND k.region = $3 AND k.key_id = r.key_id
  RETURNING k.id, k.key_id
),
inserted AS (
  INSERT INTO kms_keys (id, account_id, region, key_id, ${META_COLS.join(", ")}, ${ALWAYS_COLS.join(", ")},
    aliases, tags, severity, exception_id, first_seen_at, last_seen_at, last_scan_id)
  SELECT r.id, $2, $3, r.key_id, ${META_COLS.map((c) => `r.${c}`).join(", ")}, ${ALWAYS_COLS.map((c) => `r.${c}`).join(", ")},
    r.aliases, r.tags, r.severity::"Severity", CASE WHEN r.severity IN ${FAILING} THEN ${COVERING_INSERTED} END, r.evaluated_at, r.evaluated_at, $1
  FROM r
  WHERE r.key_id NOT IN (SELECT key_id FROM updated)
  ON CONFLICT (account_id, region, key_id) DO NOTHING
  RETURNING id, key_id
),
ids AS (
  SELECT id, key_id FROM updated UNION ALL SELECT id, key_id FROM inserted
),
-- DISTINCT ON: an endpoint that sends the same tag key twice must not fail the batch; the smallest
-- value is kept, as the count tables count it (kms_key_count_tags, migration 20261130140000).
read_tags AS (
  SELECT DISTINCT ON (ids.id, t.key) ids.id AS kms_key_id, t.key AS tag_key, COALESCE(t.value, '') AS tag_value
  FROM r JOIN ids ON ids.key_id = r.key_id
  CROSS JOIN jsonb_to_recordset(r.tags) AS t(key text, value text)
  WHERE r.tags_ok AND t.key IS NOT NULL
  ORDER BY ids.id, t.key, COALESCE(t.value, '')
),
retagged AS MATERIALIZED (
  SELECT array_agg(updated.id) AS ids FROM r JOIN updated ON updated.key_id = r.key_id WHERE r.tags_ok
),
gone_tags AS (
  DELETE FROM key_tags kt
  WHERE (SELECT ids FROM retagged) IS NOT NULL
    AND kt.kms_key_id = ANY ((SELECT ids FROM retagged)::text[])
    AND NOT EXISTS (SELECT 1 FROM read_tags n WHERE n.kms_key_id = kt.kms_key_id AND n.tag_key = kt.tag_key)
),
tags AS (
  INSERT INTO key_tags (kms_key_id, tag_key, tag_value)
  SELECT kms_key_id, tag_key, tag_value FROM read_tags
  ON CONFLICT (kms_key_id, tag_key) DO UPDATE SET tag_value = EXCLUDED.tag_value
    WHERE key_tags.tag_value IS DISTINCT FROM EXCLUDED.tag_value
)
INSERT INTO finding_history (scan_id, kms_key_id, severity, reason, evaluated_at)
SELECT $1, ids.id, r.severity::"Severity", r.reason, r.evaluated_at
FROM r JOIN ids ON ids.key_id = r.key_id
ON CONFLICT (kms_key_id, scan_id) DO UPDATE SET
  severity = EXCLUDED.severity, reason = EXCLUDED.reason, evaluated_at = EXCLUDED.evaluated_at`;
