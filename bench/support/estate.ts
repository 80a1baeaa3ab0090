import type pg from "pg";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { addExceptionRules } from "./exception-rules";
import { APPS, AWKWARD_VALUES, ENVIRONMENTS, TAG_CATALOG } from "./tag-catalog";

// The benchmarks' data, generated inside PostgreSQL (generate_series and a seeded hash: the same
// rows on every run, no row crosses the network): `keys` KMS keys spread over accounts of five
// regions each, one finding per key judged by the spec's rules (the same reasons, severities and
// texts the collector writes), realistic tags in kms_keys.tags and key_tags, and `scans` finished
// scans of history: scans, scan_targets, finding_history (one row per key per scan that saw it)
// and scan_summaries. Some keys were first seen in a later scan, 1% went away, and a quarter of
// the keys now rotated had rotation off until some scan, so the trend has a shape. Triage: each
// finding's life as the lifecycle trigger would have kept it (failing keys open since a spread of
// ages, most before the kept history; fixed and deleted keys resolved; a few reopened), the events
// and deltas of every scan, then exception rules in force (./exception-rules.ts).

export interface EstateSpec {
  keys: number;
  scans: number;
}

/** Bumped whenever the generated rows change, so that a reused database is generated again. */
export const ESTATE_VERSION = 2;
export const REGIONS = ["us-east-1", "eu-west-1", "us-west-2", "eu-central-1", "ap-southeast-2"];
/** Exception rules in force: 1,000 at a million keys, as many per key at other sizes (at least 20). */
export const exceptionRuleCount = (keys: number) => Math.max(20, Math.round(keys / 1000));
/** The start of the newest scan; the scans before it are 6 hours apart. */
export const LAST_SCAN_AT = "2026-11-30T06:00:00Z";

export function accountCount(keys: number): number {
  return Math.max(1, Math.min(200, Math.ceil(keys / 5000)));
}

/** The 12-digit id of the n-th generated account (n from 0). */
export function accountId(n: number): string {
  return String(210_000_000_000 + n * 7_919).padStart(12, "0");
}

const SERVICES = [
  "s3",
  "ebs",
  "rds",
  "lambda",
  "secretsmanager",
  "sns",
  "sqs",
  "dynamodb",
  "redshift",
  "backup",
];
const ACCOUNT_WORDS = [
  "payments",
  "ledger",
  "data",
  "identity",
  "platform",
  "ml",
  "retail",
  "shared",
  "security",
  "logging",
];
const ACCOUNT_STAGES = ["prod", "staging", "dev", "sandbox"];

// u(h, n): the n-th 16-bit slice of the hash h as a number in [0, 1).
const u = (h: string, n: number) => `(((${h} >> ${16 * n}) & 65535)::float8 / 65536)`;

/** The statement triggers that follow a key's changes (events, count tables, ages, evaluations). */
const FOLLOW_TRIGGERS = [
  "kms_keys_events_update",
  "kms_keys_counts_update",
  "kms_keys_open_days_update",
  "kms_keys_evaluations_update",
];

/** Every statement of the generation, in order (one transaction; see generateEstate). */
export function estateStatements(spec: EstateSpec): { text: string; values?: unknown[] }[] {
  const N = Math.trunc(spec.keys);
  const S = Math.trunc(spec.scans);
  const A = accountCount(N);
  const R = REGIONS.length;
  const scanAt = (n: string) => `(timestamptz '${LAST_SCAN_AT}' - (${S} - ${n}) * interval '6 hours')`;
  const now = `timestamptz '${LAST_SCAN_AT}'`;

  return [
    {
      text: `TRUNCATE aws_accounts, scans, kms_keys, key_tags, finding_history, scan_summaries, scan_targets,
        account_region_states, finding_events, scan_deltas, exceptions CASCADE`,
    },
    {
      text: `INSERT INTO aws_accounts (id, name, regions, access_method, role_arn, enabled, is_demo, created_at, updated_at)
        SELECT lpad((210000000000 + a * 7919)::text, 12, '0'),
          ($1::text[])[a % 10 + 1] || '-' || ($2::text[])[(a / 10) % 4 + 1] || '-' || lpad(a::text, 3, '0'),
          $3::text[], 'ROLE',
          'arn:aws:iam::' || lpad((210000000000 + a * 7919)::text, 12, '0') || ':role/KmsInsightsReadOnly',
          true, false, ${scanAt("0")}, ${scanAt("0")}
        FROM generate_series(0, ${A - 1}) a`,
      values: [ACCOUNT_WORDS, ACCOUNT_STAGES, REGIONS],
    },
    {
      text: `CREATE TEMP TABLE gen_scans ON COMMIT DROP AS
        SELECT n, 'c' || substr(md5('scan-' || n), 1, 24) AS id, ${scanAt("n")} AS started_at
        FROM generate_series(1, ${S}) n`,
    },
    {
      text: `INSERT INTO scans (id, trigger, status, requested_by, started_at, finished_at)
        SELECT id, CASE WHEN n % 10 = 0 THEN 'MANUAL' ELSE 'SCHEDULED' END::"ScanTrigger",
          CASE WHEN n = ${S} THEN 'PARTIAL' ELSE 'SUCCEEDED' END::"ScanStatus", NULL,
          started_at, started_at + interval '23 minutes'
        FROM gen_scans`,
    },
    // One target per scan, account and region; in the newest scan a few account-regions failed.
    {
      text: `INSERT INTO scan_targets (id, scan_id, account_id, region, status, error, keys_seen, key_errors,
          calls_made, started_at, finished_at, duration_ms, heartbeat_at)
        SELECT md5(s.id || a || r)::uuid::text, s.id, lpad((210000000000 + a * 7919)::text, 12, '0'), ($1::text[])[r + 1],
          CASE WHEN s.n = ${S} AND (a * ${R} + r) % 97 = 3 THEN 'FAILED' ELSE 'SUCCEEDED' END::"ScanStatus",
          CASE WHEN s.n = ${S} AND (a * ${R} + r) % 97 = 3
            THEN 'AccessDeniedException: not authorized to perform kms:ListKeys' END,
          ${Math.round(N / (A * R))}, 0, ${Math.round((N / (A * R)) * 3)},
          s.started_at, s.started_at + interval '20 minutes', 1200000, s.started_at + interval '20 minutes'
        FROM gen_scans s, generate_series(0, ${A - 1}) a, generate_series(0, ${R - 1}) r`,
      values: [REGIONS],
    },
    {
      text: `INSERT INTO account_region_states (account_id, region, stale, last_error, last_attempt_at,
          last_success_at, last_scan_id)
        SELECT account_id, region, status = 'FAILED', error, started_at,
          CASE WHEN status = 'FAILED' THEN started_at - interval '6 hours' ELSE finished_at END, scan_id
        FROM scan_targets WHERE scan_id = (SELECT id FROM gen_scans WHERE n = ${S})`,
    },
    {
      text: `CREATE TEMP TABLE gen_catalog ON COMMIT DROP AS
        SELECT * FROM jsonb_to_recordset($1::jsonb) AS c(n int, key text, share float8, vals text[])`,
      values: [
        JSON.stringify(TAG_CATALOG.map((t, n) => ({ n, key: t.key, share: t.share, vals: t.values }))),
      ],
    },
    // The keys, in blocks of one account-region (the collector writes them that way), from five
    // seeded hashes of the key number: u(h, 0..3) are uniform in [0, 1). Then the spec's rules in
    // order (lib/verdict/rules.ts, a policy of 365 days), and the tags: three customer keys in
    // four carry some, each catalog key with its share, a value skewed to the first ones of its
    // list, one in ten an awkward one.
    {
      text: `CREATE TEMP TABLE gen_rows ON COMMIT DROP AS
        WITH facts AS (
          SELECT i, (i - 1)::bigint * ${A * R} / ${N} AS ar,
            CASE WHEN ${u("h1", 0)} < 0.30 THEN 'AWS' ELSE 'CUSTOMER' END AS manager,
            ${u("h1", 1)} AS u_state, ${u("h1", 2)} AS u_spec, ${u("h1", 3)} AS u_origin,
            ${u("h2", 0)} AS u_age, ${u("h2", 1)} AS u_rot, ${u("h2", 2)} AS u_period, ${u("h2", 3)} AS u_period2,
            ${u("h3", 0)} AS u_next, ${u("h3", 1)} AS u_import, ${u("h3", 2)} AS u_alias, ${u("h3", 3)} AS u_app,
            ${u("h4", 0)} AS u_first, ${u("h4", 1)} AS u_first2, ${u("h4", 2)} AS u_gone, ${u("h4", 3)} AS u_fix,
            ${u("h5", 0)} AS u_tagged, ${u("h5", 1)} AS u_multi, ${u("h5", 2)} AS u_reopen, ${u("h5", 3)} AS u_pre
          FROM (SELECT i, hashint8extended(i, 11) AS h1, hashint8extended(i, 12) AS h2,
                  hashint8extended(i, 13) AS h3, hashint8extended(i, 14) AS h4, hashint8extended(i, 15) AS h5
                FROM generate_series(1, ${N}) i) h
        ), meta AS (
          SELECT f.*, ar / ${R} AS acct, ar % ${R} AS reg,
            CASE WHEN manager = 'AWS' THEN 'Enabled'
                 WHEN u_state < 0.02 THEN 'PendingDeletion' WHEN u_state < 0.025 THEN 'PendingImport'
                 WHEN u_state < 0.03 THEN 'Unavailable' WHEN u_state < 0.08 THEN 'Disabled' ELSE 'Enabled' END AS state,
            CASE WHEN manager = 'AWS' OR u_spec < 0.88 THEN 'SYMMETRIC_DEFAULT' WHEN u_spec < 0.93 THEN 'RSA_2048'
                 WHEN u_spec < 0.96 THEN 'ECC_NIST_P256' WHEN u_spec < 0.98 THEN 'HMAC_256' ELSE 'RSA_4096' END AS spec,
            CASE WHEN manager = 'AWS' OR u_origin < 0.94 THEN 'AWS_KMS' WHEN u_origin < 0.975 THEN 'EXTERNAL'
                 WHEN u_origin < 0.99 THEN 'AWS_CLOUDHSM' ELSE 'EXTERNAL_KEY_STORE' END AS origin,
            date_trunc('second', ${now} - u_age * interval '2900 days') AS created,
            CASE WHEN u_rot < 0.03 THEN 'unknown' WHEN u_rot < 0.31 THEN 'disabled' ELSE 'enabled' END AS rot,
            CASE WHEN u_period < 0.85 THEN 365 WHEN u_period < 0.93 THEN 90 + floor(u_period2 * 270)::int
                 ELSE 400 + floor(u_period2 * 2160)::int END AS period,
            ($1::text[])[1 + floor(u_app * 30)::int] AS app,
            ($2::text[])[1 + floor(u_alias * 14)::int] AS env,
            ($3::text[])[1 + floor(u_app * 10)::int] AS service,
            CASE WHEN u_first < 0.85 THEN 1 ELSE 2 + floor(u_first2 * ${Math.max(S - 1, 0)})::int END AS first_scan
          FROM facts f
        ), judged AS (
          SELECT m.*, md5('key-' || i)::uuid::text AS id, md5('kms-' || i)::uuid::text AS key_id,
            lpad((210000000000 + acct * 7919)::text, 12, '0') AS account_id, ($4::text[])[reg + 1] AS region,
            CASE
              WHEN state IN ('PendingDeletion', 'PendingReplicaDeletion') THEN 'PENDING_DELETION'
              WHEN state NOT IN ('Enabled', 'Disabled') THEN 'KEY_NOT_USABLE'
              WHEN manager = 'AWS' THEN 'AWS_MANAGED'
              WHEN spec <> 'SYMMETRIC_DEFAULT' THEN 'UNSUPPORTED_KEY_SPEC'
              WHEN origin IN ('AWS_CLOUDHSM', 'EXTERNAL_KEY_STORE') THEN 'CUSTOM_KEY_STORE'
              WHEN origin = 'EXTERNAL' AND u_next < 0.4 THEN 'IMPORTED_MATERIAL_STALE'
              WHEN origin = 'EXTERNAL' THEN 'IMPORTED_MATERIAL_ROTATED'
              WHEN rot = 'unknown' THEN 'ROTATION_STATUS_UNKNOWN'
              WHEN rot = 'disabled' AND state = 'Disabled' THEN 'DISABLED_KEY_ROTATION_OFF'
              WHEN rot = 'disabled' THEN 'ROTATION_DISABLED'
              WHEN period > 365 THEN 'ROTATION_PERIOD_EXCEEDS_POLICY'
              ELSE 'ROTATION_ENABLED' END AS reason,
            CASE WHEN u_gone < 0.01 AND first_scan < ${S}
                 THEN first_scan + 1 + floor(u_first2 * (${S} - first_scan))::int END AS gone_scan
          FROM meta m
        )
        SELECT k.*,
          CASE WHEN reason IN ('PENDING_DELETION', 'KEY_NOT_USABLE', 'UNSUPPORTED_KEY_SPEC', 'CUSTOM_KEY_STORE')
                 THEN 'NOT_APPLICABLE'
               WHEN reason IN ('AWS_MANAGED', 'IMPORTED_MATERIAL_ROTATED', 'ROTATION_ENABLED') THEN 'OK'
               WHEN reason = 'ROTATION_DISABLED' THEN 'CRITICAL' ELSE 'WARNING' END AS severity,
          CASE WHEN reason = 'AWS_MANAGED' THEN 365
               WHEN reason IN ('ROTATION_ENABLED', 'ROTATION_PERIOD_EXCEEDS_POLICY') THEN period END AS period_days,
          CASE WHEN reason IN ('ROTATION_ENABLED', 'ROTATION_PERIOD_EXCEEDS_POLICY')
               THEN date_trunc('day', ${now}) + (1 + floor(u_next * period)::int) * interval '1 day' END AS next_rotation,
          CASE WHEN origin = 'EXTERNAL' AND reason = 'IMPORTED_MATERIAL_STALE'
                 THEN date_trunc('day', ${now}) - (366 + floor(u_import * 700)::int) * interval '1 day'
               WHEN origin = 'EXTERNAL' AND u_import > 0.3
                 THEN date_trunc('day', ${now}) - floor(u_import * 360)::int * interval '1 day' END AS last_rotation,
          CASE WHEN reason = 'ROTATION_ENABLED' AND u_fix < 0.25 AND ${S} > 1
               THEN 2 + floor(u_gone * ${Math.max(S - 1, 0)})::int END AS fixed_scan,
          CASE WHEN gone_scan IS NULL THEN ${S} ELSE gone_scan - 1 END AS last_scan
        FROM judged k`,
      values: [APPS, ENVIRONMENTS, SERVICES, REGIONS],
    },
    // Each finding's life. fixed: the scan whose rotation fix resolved it (failing before);
    // pass_from..pass_to: a failing key that passed for a while and failed again (reopened at pass_to).
    // A key failing when first seen in the first scan has failed since before the kept history:
    // its first failure is spread over the past year, no older than the key.
    {
      text: `CREATE TEMP TABLE gen_life ON COMMIT DROP AS
        WITH base AS (
          SELECT i, id, account_id, region, severity, reason, first_scan, last_scan, gone_scan, created AS key_created,
            u_pre, u_reopen,
            severity IN ('CRITICAL', 'WARNING') AS fails_now,
            CASE WHEN fixed_scan > first_scan THEN fixed_scan END AS fixed,
            CASE WHEN severity IN ('CRITICAL', 'WARNING') AND gone_scan IS NULL AND u_reopen < 0.04
                   AND last_scan - first_scan >= 2
                 THEN first_scan + 1 + floor(u_reopen / 0.04 * (last_scan - first_scan - 1))::int END AS pass_from
          FROM gen_rows
        ), periods AS (
          SELECT b.*,
            CASE WHEN pass_from IS NOT NULL THEN pass_from + 1
              + floor((u_reopen * 7919 - floor(u_reopen * 7919)) * (last_scan - pass_from))::int END AS pass_to,
            fails_now OR fixed IS NOT NULL AS failed_ever,
            fails_now OR fixed > last_scan AS fails_at_last
          FROM base b
        )
        SELECT p.*,
          CASE WHEN NOT failed_ever THEN NULL
               WHEN first_scan = 1 THEN least(s1.started_at + interval '5 minutes',
                 greatest(p.key_created, s1.started_at - power(u_pre, 2) * interval '365 days'))
               ELSE sf.started_at + interval '5 minutes' END AS first_failed_at
        FROM periods p
        JOIN gen_scans s1 ON s1.n = 1
        JOIN gen_scans sf ON sf.n = p.first_scan`,
    },
    {
      text: `CREATE TEMP TABLE gen_tags ON COMMIT DROP AS
        SELECT k.i, k.id, c.key AS tag_key,
          CASE WHEN ${u("t.h", 2)} < 0.1 THEN ($1::text[])[1 + floor(${u("t.h", 3)} * ${AWKWARD_VALUES.length})::int]
               ELSE c.vals[1 + floor(power(${u("t.h", 1)}, 2) * cardinality(c.vals))::int] END AS tag_value
        FROM gen_rows k CROSS JOIN gen_catalog c
        CROSS JOIN LATERAL (SELECT hashint8extended(k.i * 64 + c.n, 21) AS h) t
        WHERE k.manager = 'CUSTOMER' AND k.u_tagged < 0.75 AND ${u("t.h", 0)} < c.share`,
      values: [AWKWARD_VALUES],
    },
    {
      text: `CREATE TEMP TABLE gen_tag_lists ON COMMIT DROP AS
        SELECT i, jsonb_agg(jsonb_build_object('key', tag_key, 'value', tag_value) ORDER BY tag_key) AS tags
        FROM gen_tags GROUP BY i`,
    },
    {
      text: `INSERT INTO kms_keys (id, account_id, region, key_id, arn, description, key_state, key_manager, key_spec,
          key_usage, origin, enabled, creation_date, deletion_date, multi_region, multi_region_type, primary_key_arn,
          primary_region, aliases, tags, rotation_enabled, rotation_period_days, next_rotation, last_rotation,
          rotation_error, collect_error, severity, reason, finding_description, rotation_status, evaluated_at,
          first_seen_at, last_seen_at, last_scan_id, gone_at,
          status, first_failed_at, failing_since, due_at, resolved_at, resolved_reason, reopened_count)
        SELECT k.id, k.account_id, k.region, k.key_id,
          'arn:aws:kms:' || k.region || ':' || k.account_id || ':key/' || k.key_id,
          CASE WHEN manager = 'AWS' THEN 'Default key that protects my ' || service || ' data when no other key is defined'
               WHEN u_alias < 0.5 THEN '' ELSE 'Key for ' || app || ' (' || env || ')' END,
          state, manager, spec,
          CASE WHEN spec IN ('SYMMETRIC_DEFAULT', 'RSA_4096') THEN 'ENCRYPT_DECRYPT' WHEN spec = 'HMAC_256'
               THEN 'GENERATE_VERIFY_MAC' ELSE 'SIGN_VERIFY' END,
          origin, state = 'Enabled', created,
          CASE WHEN state = 'PendingDeletion' THEN date_trunc('day', ${now}) + interval '7 days' END,
          u_multi < 0.05, CASE WHEN u_multi < 0.05 THEN 'PRIMARY' END, NULL, NULL,
          CASE WHEN manager = 'AWS' THEN ARRAY['alias/aws/' || service]
               WHEN u_alias < 0.6 THEN ARRAY['alias/' || app || '-' || env || '-' || k.i]
               WHEN u_alias < 0.7 THEN ARRAY['alias/' || app || '-' || env || '-' || k.i, 'alias/' || app || '-' || k.i || '-legacy']
               ELSE '{}' END,
          coalesce(tl.tags, '[]'),
          CASE WHEN rot = 'enabled' AND reason IN ('ROTATION_ENABLED', 'ROTATION_PERIOD_EXCEEDS_POLICY') THEN true
               WHEN reason IN ('ROTATION_DISABLED', 'DISABLED_KEY_ROTATION_OFF') THEN false END,
          period_days, next_rotation, last_rotation,
          CASE WHEN reason = 'ROTATION_STATUS_UNKNOWN' THEN 'AccessDeniedException: not authorized to perform kms:GetKeyRotationStatus' END,
          NULL, severity::"Severity", reason,
          CASE reason
            WHEN 'PENDING_DELETION' THEN 'The key is scheduled for deletion (' || state || '), so its rotation no longer matters; cancel the deletion if the key is still needed.'
            WHEN 'KEY_NOT_USABLE' THEN 'The key is in state ' || state || ' and cannot be used now, so its rotation is not judged until it is Enabled or Disabled.'
            WHEN 'AWS_MANAGED' THEN 'AWS managed key: AWS rotates its material every year; nothing to do.'
            WHEN 'UNSUPPORTED_KEY_SPEC' THEN 'KMS cannot rotate ' || spec || ' keys automatically; to renew the material, create a new key and move its users (and aliases) to it.'
            WHEN 'CUSTOM_KEY_STORE' THEN 'KMS cannot rotate keys in an AWS CloudHSM key store; to renew the material, create a new KMS key and move its users to it.'
            WHEN 'IMPORTED_MATERIAL_STALE' THEN 'Imported key material is ' || extract(day FROM ${now} - coalesce(last_rotation, created))::int || ' days old, older than the 365-day policy: import new key material and rotate to it on demand (RotateKeyOnDemand).'
            WHEN 'IMPORTED_MATERIAL_ROTATED' THEN 'Imported key material is ' || extract(day FROM ${now} - coalesce(last_rotation, created))::int || ' days old, within the 365-day policy.'
            WHEN 'ROTATION_STATUS_UNKNOWN' THEN 'The rotation status could not be read (AccessDeniedException); check that the collector may call kms:GetKeyRotationStatus, then collect again.'
            WHEN 'DISABLED_KEY_ROTATION_OFF' THEN 'Automatic rotation is off on this disabled key: enable rotation when you re-enable the key, or schedule the key for deletion if it is no longer needed.'
            WHEN 'ROTATION_DISABLED' THEN 'Automatic rotation is disabled: KMS will never rotate this key''s material.'
            WHEN 'ROTATION_PERIOD_EXCEEDS_POLICY' THEN 'Rotation is enabled but only every ' || period_days || ' days, longer than the 365-day policy: set the rotation period to 365 days or less.'
            ELSE 'Rotation is enabled: KMS rotates this key every ' || period_days || ' days (next on ' || to_char(next_rotation AT TIME ZONE 'UTC', 'YYYY-MM-DD') || ').'
          END,
          CASE WHEN reason IN ('ROTATION_ENABLED', 'ROTATION_PERIOD_EXCEEDS_POLICY', 'AWS_MANAGED') THEN 'enabled'
               WHEN reason IN ('ROTATION_DISABLED', 'DISABLED_KEY_ROTATION_OFF') THEN 'disabled'
               WHEN reason = 'ROTATION_STATUS_UNKNOWN' AND origin <> 'EXTERNAL' THEN 'unknown'
               ELSE 'not supported' END,
          ls.started_at + interval '5 minutes', fs.started_at + interval '5 minutes', ls.started_at + interval '5 minutes',
          ls.id, gs.started_at + interval '20 minutes',
          CASE WHEN l.fails_now AND k.gone_scan IS NULL THEN 'OPEN' WHEN l.failed_ever THEN 'RESOLVED'
               ELSE 'PASSING' END::"FindingStatus",
          l.first_failed_at,
          CASE WHEN l.failed_ever THEN coalesce(rs.started_at + interval '5 minutes', l.first_failed_at) END,
          CASE WHEN l.fails_now AND k.gone_scan IS NULL
               THEN coalesce(rs.started_at + interval '5 minutes', l.first_failed_at)
                 + insight_sla_days(k.severity::"Severity") * interval '1 day' END,
          CASE WHEN k.gone_scan IS NOT NULL AND l.fails_at_last THEN gs.started_at + interval '20 minutes'
               WHEN l.fixed IS NOT NULL THEN xs.started_at + interval '5 minutes' END,
          CASE WHEN k.gone_scan IS NOT NULL AND l.fails_at_last THEN 'KEY_DELETED'
               WHEN l.fixed IS NOT NULL THEN 'ROTATION_ENABLED' END,
          CASE WHEN l.pass_from IS NOT NULL THEN 1 ELSE 0 END
        FROM gen_rows k
        JOIN (SELECT i, fails_now, failed_ever, fails_at_last, fixed, pass_from, pass_to, first_failed_at FROM gen_life) l
          ON l.i = k.i
        JOIN gen_scans fs ON fs.n = k.first_scan
        JOIN gen_scans ls ON ls.n = k.last_scan
        LEFT JOIN gen_scans gs ON gs.n = k.gone_scan
        LEFT JOIN gen_scans xs ON xs.n = l.fixed
        LEFT JOIN gen_scans rs ON rs.n = l.pass_to
        LEFT JOIN gen_tag_lists tl ON tl.i = k.i`,
    },
    {
      text: `INSERT INTO key_tags (kms_key_id, tag_key, tag_value)
        SELECT id, tag_key, tag_value FROM gen_tags`,
    },
    // History: the finding of every key in every scan that saw it; rotation was off before
    // fixed_scan. Written in primary key order, which makes that index's build a fraction of the time.
    {
      text: `INSERT INTO finding_history (scan_id, kms_key_id, severity, reason, evaluated_at)
        SELECT s.id, k.id,
          CASE WHEN s.n < k.fixed_scan THEN 'CRITICAL' WHEN s.n >= k.pass_from AND s.n < k.pass_to THEN 'OK'
               ELSE k.severity END::"Severity",
          CASE WHEN s.n < k.fixed_scan THEN 'ROTATION_DISABLED'
               WHEN s.n >= k.pass_from AND s.n < k.pass_to THEN 'ROTATION_ENABLED' ELSE k.reason END,
          s.started_at + interval '5 minutes'
        FROM (SELECT r.id, r.severity, r.reason, r.first_scan, r.last_scan, r.fixed_scan, l.pass_from, l.pass_to
              FROM gen_rows r JOIN gen_life l ON l.i = r.i ORDER BY r.id) k
        CROSS JOIN LATERAL (SELECT * FROM gen_scans s WHERE s.n BETWEEN k.first_scan AND k.last_scan ORDER BY s.id) s`,
    },
    {
      text: `INSERT INTO scan_summaries (scan_id, account_id, region, severity, count)
        SELECT s.id, g.account_id, g.region,
          CASE WHEN s.n < g.fixed_scan THEN 'CRITICAL' WHEN s.n >= g.pass_from AND s.n < g.pass_to THEN 'OK'
               ELSE g.severity END::"Severity", sum(g.n)::int
        FROM (SELECT r.account_id, r.region, r.severity, r.first_scan, r.last_scan, r.fixed_scan, l.pass_from,
                l.pass_to, count(*) AS n
              FROM gen_rows r JOIN gen_life l ON l.i = r.i GROUP BY 1, 2, 3, 4, 5, 6, 7, 8) g
        JOIN gen_scans s ON s.n BETWEEN g.first_scan AND g.last_scan
        GROUP BY 1, 2, 3, 4`,
    },
    // The events each scan recorded (dated at its start, as the events trigger dates a scan's),
    // and each scan's delta per account-region from them (as lib/collector/scan.ts records it).
    {
      text: `INSERT INTO finding_events (kms_key_id, account_id, region, scan_id, at, kind, severity, reason)
        SELECT e.id, e.account_id, e.region, s.id, s.started_at, e.kind::"FindingEventKind", e.severity::"Severity", e.reason
        FROM (
          SELECT id, account_id, region, first_scan AS n, 'NEW' AS kind,
            CASE WHEN fixed IS NOT NULL THEN 'CRITICAL' ELSE severity END AS severity,
            CASE WHEN fixed IS NOT NULL THEN 'ROTATION_DISABLED' ELSE reason END AS reason
          FROM gen_life WHERE failed_ever AND first_scan > 1
          UNION ALL
          SELECT id, account_id, region, fixed, 'RESOLVED', 'OK', 'ROTATION_ENABLED'
          FROM gen_life WHERE fixed <= last_scan
          UNION ALL
          SELECT id, account_id, region, pass_from, 'RESOLVED', 'OK', 'ROTATION_ENABLED'
          FROM gen_life WHERE pass_from IS NOT NULL
          UNION ALL
          SELECT id, account_id, region, pass_to, 'REOPENED', severity, reason
          FROM gen_life WHERE pass_to IS NOT NULL
          UNION ALL
          SELECT id, account_id, region, gone_scan, 'RESOLVED',
            CASE WHEN fixed IS NOT NULL THEN 'CRITICAL' ELSE severity END, 'KEY_DELETED'
          FROM gen_life WHERE gone_scan IS NOT NULL AND fails_at_last
        ) e JOIN gen_scans s ON s.n = e.n
        ORDER BY s.started_at, e.id`,
    },
    // A resolution carries the start of the period it ends, as the events trigger writes it.
    { text: `SELECT finding_events_fill_opened()` },
    // Each key's last new, resolved and reopened instants from its events, as the migration that
    // added them fills them (nothing else changes: the triggers that follow changes stay out).
    ...FOLLOW_TRIGGERS.map((t) => ({ text: `ALTER TABLE kms_keys DISABLE TRIGGER ${t}` })),
    { text: `SELECT kms_key_change_instants_fill()` },
    ...FOLLOW_TRIGGERS.map((t) => ({ text: `ALTER TABLE kms_keys ENABLE TRIGGER ${t}` })),
    {
      text: `INSERT INTO scan_deltas (scan_id, account_id, region, new, resolved, reopened, still_failing)
        SELECT t.scan_id, t.account_id, t.region, coalesce(e.new, 0), coalesce(e.resolved, 0), coalesce(e.reopened, 0),
          greatest(0, coalesce(f.failing, 0) - coalesce(e.new, 0) - coalesce(e.reopened, 0))
        FROM scan_targets t
        LEFT JOIN (
          SELECT scan_id, account_id, region, count(*) FILTER (WHERE kind = 'NEW')::int AS new,
            count(*) FILTER (WHERE kind = 'RESOLVED')::int AS resolved,
            count(*) FILTER (WHERE kind = 'REOPENED')::int AS reopened
          FROM finding_events GROUP BY 1, 2, 3
        ) e ON (e.scan_id, e.account_id, e.region) = (t.scan_id, t.account_id, t.region)
        LEFT JOIN (
          SELECT scan_id, account_id, region, sum(count)::int AS failing FROM scan_summaries
          WHERE severity IN ('CRITICAL', 'WARNING') GROUP BY 1, 2, 3
        ) f ON (f.scan_id, f.account_id, f.region) = (t.scan_id, t.account_id, t.region)
        WHERE t.status = 'SUCCEEDED'`,
    },
  ];
}

/** The estate's tables, whose indexes and keys are built after the load (much faster than during). */
export const LOADED_TABLES = [
  "kms_keys",
  "key_tags",
  "finding_history",
  "scan_summaries",
  "scan_targets",
  "finding_events",
];
/**
 * The triggers that derive a finding's life and record its events, off during the load: the
 * generation writes the life and the events of 30 scans itself (as the migration did for keys
 * that existed before triage), which one INSERT could not replay.
 */
const LIFE_TRIGGERS = ["kms_keys_lifecycle_insert", "kms_keys_events_insert"];

/** The definitions to put back after a bulk load: foreign keys, primary/unique keys, indexes. */
async function dropIndexes(client: pg.ClientBase, tables: string[]): Promise<string[]> {
  const { rows: fks } = await client.query<{ sql: string; drop: string }>(
    `SELECT format('ALTER TABLE %s ADD CONSTRAINT %I %s', c.conrelid::regclass, c.conname, pg_get_constraintdef(c.oid)) AS sql,
            format('ALTER TABLE %s DROP CONSTRAINT %I', c.conrelid::regclass, c.conname) AS drop
     FROM pg_constraint c
     WHERE c.contype = 'f' AND (c.conrelid::regclass::text = ANY($1) OR c.confrelid::regclass::text = ANY($1))`,
    [tables],
  );
  const { rows: keys } = await client.query<{ sql: string; drop: string }>(
    `SELECT format('ALTER TABLE %s ADD CONSTRAINT %I %s', c.conrelid::regclass, c.conname, pg_get_constraintdef(c.oid)) AS sql,
            format('ALTER TABLE %s DROP CONSTRAINT %I', c.conrelid::regclass, c.conname) AS drop
     FROM pg_constraint c WHERE c.contype IN ('p', 'u') AND c.conrelid::regclass::text = ANY($1)`,
    [tables],
  );
  const { rows: indexes } = await client.query<{ sql: string; drop: string }>(
    `SELECT pg_get_indexdef(i.indexrelid) AS sql, format('DROP INDEX %s', i.indexrelid::regclass) AS drop
     FROM pg_index i
     WHERE i.indrelid::regclass::text = ANY($1)
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u', 'x'))`,
    [tables],
  );
  for (const { drop } of [...fks, ...keys, ...indexes]) await client.query(drop);
  return [...keys, ...indexes, ...fks].map((r) => r.sql);
}

/**
 * Replaces the estate tables' rows with a generated estate of `spec`, in one transaction. The
 * indexes and constraints of the loaded tables are dropped first and built again after the load,
 * exactly as they were defined; then every table is vacuumed and analysed (the steady state of a
 * console whose autovacuum has caught up).
 */
export async function generateEstate(
  client: pg.ClientBase,
  prisma: PrismaClient,
  spec: EstateSpec,
  log: (line: string) => void = () => {},
): Promise<void> {
  const started = Date.now();
  const step = (label: string) =>
    log(`  ${label.padEnd(44)} ${((Date.now() - started) / 1000).toFixed(1)} s`);
  await client.query("BEGIN");
  try {
    // Temporary tables in memory (before the session's first one), sorts of the index builds too.
    await client.query("SET temp_buffers = '2GB'").catch(() => {});
    await client.query("SET LOCAL maintenance_work_mem = '4GB'");
    await client.query("SET LOCAL work_mem = '256MB'");
    const restore = await dropIndexes(client, LOADED_TABLES);
    for (const trigger of LIFE_TRIGGERS)
      await client.query(`ALTER TABLE kms_keys DISABLE TRIGGER ${trigger}`);
    step("indexes dropped");
    for (const statement of estateStatements(spec)) {
      await client.query(statement.text, statement.values);
      const what = /^\s*(INSERT INTO|CREATE TEMP TABLE|TRUNCATE)\s+(\w+)/.exec(statement.text);
      step(what ? `${what[1]} ${what[2]}` : "statement");
    }
    for (const trigger of LIFE_TRIGGERS) await client.query(`ALTER TABLE kms_keys ENABLE TRIGGER ${trigger}`);
    for (const sql of restore) {
      await client.query(sql);
      step(sql.replace(/^(CREATE (UNIQUE )?INDEX|ALTER TABLE \S+ ADD CONSTRAINT) /, "").slice(0, 44));
    }
    await client.query("COMMIT");
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  }
  // Exceptions come into force now, as they would in the console: their keys turn EXCEPTED and
  // record the event through the triggers.
  const rules = await addExceptionRules(client, prisma, {
    count: exceptionRuleCount(spec.keys),
    now: new Date(),
    createdBy: new Date(LAST_SCAN_AT),
  });
  step(
    `${rules.inForce} exception rules: ${rules.keysCovered} keys, ${rules.excepted} excepted`.slice(0, 44),
  );
  await client.query("VACUUM (ANALYZE)");
  step("vacuumed and analysed");
}
