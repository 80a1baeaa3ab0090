import { randomUUID } from "node:crypto";
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import type { CollectedKey } from "@/lib/kms/collect-region";

// Writes collected keys in batches, one transaction per batch: the keys (upserted on
// account+region+key id, so a re-run never duplicates), their tags (replaced only when they were
// read), and one finding_history row per key for this scan. What could not be read this time
// (metadata, tags, aliases) keeps its stored value.

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
    await db.$transaction((tx) => writeBatch(tx, target, batch), { timeout: 60_000 });
  }
}

const META_COLS = [
  "description",
  "key_state",
  "key_manager",
  "key_spec",
  "key_usage",
  "origin",
  "enabled",
  "creation_date",
  "deletion_date",
  "multi_region",
  "multi_region_type",
  "primary_key_arn",
  "primary_region",
];
const ALWAYS_COLS = [
  "arn",
  "rotation_enabled",
  "rotation_period_days",
  "next_rotation",
  "last_rotation",
  "rotation_error",
  "collect_error",
  "reason",
  "finding_description",
  "rotation_status",
  "evaluated_at",
];
const RECORD = `jsonb_to_recordset($4::jsonb) AS r(
  id text, key_id text, arn text, meta_ok boolean, description text, key_state text, key_manager text,
  key_spec text, key_usage text, origin text, enabled boolean, creation_date timestamptz,
  deletion_date timestamptz, multi_region boolean, multi_region_type text, primary_key_arn text,
  primary_region text, aliases_ok boolean, aliases text[], tags_ok boolean, tags jsonb,
  rotation_enabled boolean, rotation_period_days int, next_rotation timestamptz, last_rotation timestamptz,
  rotation_error text, collect_error text, severity text, reason text, finding_description text,
  rotation_status text, evaluated_at timestamptz)`;
const KEY_OF_R = `k.account_id = $2 AND k.region = $3 AND k.key_id = r.key_id`;

// Column lists are constants of this file; the only input is the JSON parameter ($4).
const UPSERT_KEYS = `
WITH updated AS (
  UPDATE kms_keys k SET
    ${META_COLS.map((c) => `${c} = CASE WHEN r.meta_ok THEN r.${c} ELSE k.${c} END`).join(",\n    ")},
    ${ALWAYS_COLS.map((c) => `${c} = r.${c}`).join(",\n    ")},
    aliases = CASE WHEN r.aliases_ok THEN r.aliases ELSE k.aliases END,
    tags = CASE WHEN r.tags_ok THEN r.tags ELSE k.tags END,
    severity = r.severity::"Severity",
    last_seen_at = r.evaluated_at,
    last_scan_id = $1,
    gone_at = NULL
  FROM ${RECORD}
  WHERE ${KEY_OF_R}
  RETURNING k.key_id
)
INSERT INTO kms_keys (id, account_id, region, key_id, ${META_COLS.join(", ")}, ${ALWAYS_COLS.join(", ")},
  aliases, tags, severity, first_seen_at, last_seen_at, last_scan_id)
SELECT r.id, $2, $3, r.key_id, ${META_COLS.map((c) => `r.${c}`).join(", ")}, ${ALWAYS_COLS.map((c) => `r.${c}`).join(", ")},
  r.aliases, r.tags, r.severity::"Severity", r.evaluated_at, r.evaluated_at, $1
FROM ${RECORD}
WHERE r.key_id NOT IN (SELECT key_id FROM updated)
ON CONFLICT (account_id, region, key_id) DO NOTHING`;

// Every statement takes the same four parameters; "$1::text IS NOT NULL" gives the scan id
// parameter a type where a statement does not otherwise use it.
const DELETE_TAGS = `
DELETE FROM key_tags USING kms_keys k, ${RECORD}
WHERE $1::text IS NOT NULL AND r.tags_ok AND key_tags.kms_key_id = k.id AND ${KEY_OF_R}`;

// DISTINCT ON: an endpoint that sends the same tag key twice must not fail the batch.
const INSERT_TAGS = `
INSERT INTO key_tags (kms_key_id, tag_key, tag_value)
SELECT DISTINCT ON (k.id, t.key) k.id, t.key, COALESCE(t.value, '')
FROM ${RECORD}
JOIN kms_keys k ON ${KEY_OF_R}
CROSS JOIN jsonb_to_recordset(r.tags) AS t(key text, value text)
WHERE $1::text IS NOT NULL AND r.tags_ok AND t.key IS NOT NULL
ON CONFLICT (kms_key_id, tag_key) DO NOTHING`;

const RECORD_HISTORY = `
INSERT INTO finding_history (scan_id, kms_key_id, severity, reason, evaluated_at)
SELECT $1, k.id, r.severity::"Severity", r.reason, r.evaluated_at
FROM ${RECORD} JOIN kms_keys k ON ${KEY_OF_R}
ON CONFLICT (kms_key_id, scan_id) DO UPDATE SET
  severity = EXCLUDED.severity, reason = EXCLUDED.reason, evaluated_at = EXCLUDED.evaluated_at`;

async function writeBatch(tx: Prisma.TransactionClient, t: Target, batch: ReturnType<typeof toRecord>[]) {
  const json = JSON.stringify(batch);
  const params = [t.scanId, t.accountId, t.region, json] as const;
  await tx.$executeRawUnsafe(UPSERT_KEYS, ...params);
  await tx.$executeRawUnsafe(DELETE_TAGS, ...params);
  await tx.$executeRawUnsafe(INSERT_TAGS, ...params);
  await tx.$executeRawUnsafe(RECORD_HISTORY, ...params);
}
