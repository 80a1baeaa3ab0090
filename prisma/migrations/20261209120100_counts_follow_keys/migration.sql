-- The count tables of the keys (kms_key_counts, kms_key_tag_counts, kms_key_tag_value_counts,
-- kms_key_open_days, kms_key_evaluations) lose their foreign keys to aws_accounts. Every row a
-- scan job's key write adds made PostgreSQL look up and lock its account (about 160 lookups for an
-- account-region of 5 keys with tags), though the rows are written only by the triggers on
-- kms_keys, from keys whose own foreign key has just checked and locked that account.
--
-- What the foreign keys did is now done by the triggers themselves:
-- - No row for an account that does not exist: the triggers count the keys a statement changed,
--   and a key exists only for an existing account (kms_keys_account_id_fkey stays). A key write
--   that races the account's removal either holds the account (the key's check locked it) or the
--   keys it updated (locked by the update), so the removal waits for its commit and then removes
--   those keys too.
-- - Rows of a removed account are removed: its keys are deleted by their foreign key's cascade, a
--   DELETE on kms_keys whose statement triggers now count them down like any other deleted key
--   (until now they left the keys of an account being removed out, and the cascade of these
--   tables removed the rows); a group that reaches 0 is removed.
-- Account ids never change (the 12 digits of the AWS account), so ON UPDATE CASCADE had nothing to
-- follow.

ALTER TABLE "kms_key_counts" DROP CONSTRAINT "kms_key_counts_account_id_fkey";
ALTER TABLE "kms_key_tag_counts" DROP CONSTRAINT "kms_key_tag_counts_account_id_fkey";
ALTER TABLE "kms_key_tag_value_counts" DROP CONSTRAINT "kms_key_tag_value_counts_account_id_fkey";
ALTER TABLE "kms_key_open_days" DROP CONSTRAINT "kms_key_open_days_account_id_fkey";
ALTER TABLE "kms_key_evaluations" DROP CONSTRAINT "kms_key_evaluations_account_id_fkey";

-- Migration 20261207100000's, counting every key the statement changed.
CREATE OR REPLACE FUNCTION kms_key_count_changes(
  d_account CHAR(12)[], d_region TEXT[], d_severity "Severity"[], d_status "FindingStatus"[], d_overdue BOOLEAN[],
  d_tags JSONB[], d_n INTEGER[]
) RETURNS TABLE (account_id CHAR(12), region TEXT, severity "Severity", status "FindingStatus", overdue BOOLEAN,
  tag_key TEXT, tag_value TEXT, n INTEGER)
  LANGUAGE sql STABLE AS $$
    SELECT d.account_id, d.region, d.severity, d.status, d.overdue, t.tag_key, t.tag_value, d.n
    FROM unnest(d_account, d_region, d_severity, d_status, d_overdue, d_tags, d_n)
      AS d(account_id, region, severity, status, overdue, tags, n)
    CROSS JOIN LATERAL (
      SELECT NULL::text AS tag_key, NULL::text AS tag_value
      UNION ALL
      SELECT c.tag_key, c.tag_value FROM kms_key_count_tags(d.tags) c
    ) t
  $$;

-- Migration 20261209120000's, likewise.
CREATE OR REPLACE FUNCTION kms_key_open_days_apply(
  d_account CHAR(12)[], d_region TEXT[], d_severity "Severity"[], d_failing DATE[], d_due DATE[], d_n INTEGER[]
) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO kms_key_open_days AS c (account_id, region, severity, failing_day, due_day, count)
    SELECT d.account_id, d.region, d.severity, d.failing_day, d.due_day, sum(d.n)
    FROM unnest(d_account, d_region, d_severity, d_failing, d_due, d_n)
      AS d(account_id, region, severity, failing_day, due_day, n)
    GROUP BY 1, 2, 3, 4, 5 HAVING sum(d.n) <> 0 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (account_id, region, severity, failing_day, due_day) DO UPDATE SET count = c.count + EXCLUDED.count;
  IF EXISTS (SELECT 1 FROM unnest(d_n) AS n WHERE n < 0) THEN
    DELETE FROM kms_key_open_days c
    USING unnest(d_account, d_region, d_severity, d_failing, d_due) AS d(account_id, region, severity, failing_day, due_day)
    WHERE c.count = 0 AND (c.account_id, c.region, c.severity, c.failing_day, c.due_day)
      = (d.account_id, d.region, d.severity, d.failing_day, d.due_day);
  END IF;
END
$$;

-- Migration 20261130140000's, likewise.
CREATE OR REPLACE FUNCTION kms_key_evaluations_apply(
  d_account CHAR(12)[], d_region TEXT[], d_at TIMESTAMPTZ[], d_n INTEGER[]
) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO kms_key_evaluations AS e (account_id, region, evaluated_at, count)
    SELECT d.account_id, d.region, d.evaluated_at, sum(d.n)
    FROM unnest(d_account, d_region, d_at, d_n) AS d(account_id, region, evaluated_at, n)
    GROUP BY 1, 2, 3 HAVING sum(d.n) <> 0 ORDER BY 1, 2, 3
    ON CONFLICT (account_id, region, evaluated_at) DO UPDATE SET count = e.count + EXCLUDED.count;
  IF EXISTS (SELECT 1 FROM unnest(d_n) AS n WHERE n < 0) THEN
    DELETE FROM kms_key_evaluations e
    USING unnest(d_account, d_region, d_at) AS d(account_id, region, evaluated_at)
    WHERE e.count = 0 AND (e.account_id, e.region, e.evaluated_at) = (d.account_id, d.region, d.evaluated_at);
  END IF;
END
$$;
