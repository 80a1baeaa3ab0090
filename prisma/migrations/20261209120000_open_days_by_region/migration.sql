-- kms_key_open_days (migration 20261203140000) counted open findings per account, so the jobs of an
-- account's regions, which a scan queues side by side and runs at once, added to the same row (the
-- day their findings began failing, the same for both) and each waited for the other's commit. The
-- rows are now per account-region, like every other count table of the keys: the overview adds
-- them up per account (sum(d.count)), so its figures do not change. Rows double at most (one per
-- region holding open findings of that account, severity and days).

ALTER TABLE "kms_key_open_days" ADD COLUMN "region" TEXT NOT NULL DEFAULT '';
ALTER TABLE "kms_key_open_days" ALTER COLUMN "region" DROP DEFAULT;
ALTER TABLE "kms_key_open_days" DROP CONSTRAINT "kms_key_open_days_pkey",
  ADD CONSTRAINT "kms_key_open_days_pkey" PRIMARY KEY ("account_id","region","severity","failing_day","due_day");

DROP FUNCTION kms_key_open_days_apply(CHAR(12)[], "Severity"[], DATE[], DATE[], INTEGER[]);

-- Migration 20261203140000's, by region.
CREATE FUNCTION kms_key_open_days_apply(
  d_account CHAR(12)[], d_region TEXT[], d_severity "Severity"[], d_failing DATE[], d_due DATE[], d_n INTEGER[]
) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO kms_key_open_days AS c (account_id, region, severity, failing_day, due_day, count)
    SELECT d.account_id, d.region, d.severity, d.failing_day, d.due_day, sum(d.n)
    FROM unnest(d_account, d_region, d_severity, d_failing, d_due, d_n)
      AS d(account_id, region, severity, failing_day, due_day, n)
    WHERE EXISTS (SELECT 1 FROM aws_accounts a WHERE a.id = d.account_id)
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

CREATE OR REPLACE FUNCTION kms_key_open_days_on_write() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  d_account CHAR(12)[]; d_region TEXT[]; d_severity "Severity"[]; d_failing DATE[]; d_due DATE[]; d_n INTEGER[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(account_id), array_agg(region), array_agg(severity), array_agg(f), array_agg(du), array_agg(n)
      INTO d_account, d_region, d_severity, d_failing, d_due, d_n
      FROM (SELECT account_id, region, severity, (failing_since AT TIME ZONE 'UTC')::date AS f,
              (due_at AT TIME ZONE 'UTC')::date AS du, count(*)::int AS n
            FROM new_keys WHERE gone_at IS NULL AND status = 'OPEN' GROUP BY 1, 2, 3, 4, 5) g;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(account_id), array_agg(region), array_agg(severity), array_agg(f), array_agg(du), array_agg(n)
      INTO d_account, d_region, d_severity, d_failing, d_due, d_n
      FROM (SELECT account_id, region, severity, (failing_since AT TIME ZONE 'UTC')::date AS f,
              (due_at AT TIME ZONE 'UTC')::date AS du, -count(*)::int AS n
            FROM old_keys WHERE gone_at IS NULL AND status = 'OPEN' GROUP BY 1, 2, 3, 4, 5) g;
  ELSE
    SELECT array_agg(account_id), array_agg(region), array_agg(severity), array_agg(f), array_agg(du), array_agg(n)
      INTO d_account, d_region, d_severity, d_failing, d_due, d_n
      FROM (
        SELECT account_id, region, severity, f, du, sum(n)::int AS n FROM (
          SELECT account_id, region, severity, (failing_since AT TIME ZONE 'UTC')::date AS f,
            (due_at AT TIME ZONE 'UTC')::date AS du, 1 AS n
          FROM new_keys WHERE gone_at IS NULL AND status = 'OPEN'
          UNION ALL
          SELECT account_id, region, severity, (failing_since AT TIME ZONE 'UTC')::date,
            (due_at AT TIME ZONE 'UTC')::date, -1
          FROM old_keys WHERE gone_at IS NULL AND status = 'OPEN'
        ) x GROUP BY 1, 2, 3, 4, 5 HAVING sum(n) <> 0
      ) g;
  END IF;
  IF d_n IS NOT NULL THEN
    PERFORM kms_key_open_days_apply(d_account, d_region, d_severity, d_failing, d_due, d_n);
  END IF;
  RETURN NULL;
END
$$;

-- Migration 20261208200100's, open days by region.
CREATE OR REPLACE FUNCTION insight_counts_rebuild() RETURNS void LANGUAGE sql AS $$
  DELETE FROM kms_key_tag_value_counts;
  DELETE FROM kms_key_tag_counts;
  DELETE FROM kms_key_counts;
  DELETE FROM kms_key_severity_counts;
  INSERT INTO kms_key_counts (account_id, region, severity, status, overdue, count)
    SELECT account_id, region, severity, status, overdue, count(*) FROM kms_keys WHERE gone_at IS NULL GROUP BY 1, 2, 3, 4, 5;
  INSERT INTO kms_key_tag_counts (tag_key, account_id, region, severity, status, overdue, count)
    SELECT t.tag_key, k.account_id, k.region, k.severity, k.status, k.overdue, count(*)
    FROM kms_keys k CROSS JOIN LATERAL kms_key_count_tags(k.tags) t WHERE k.gone_at IS NULL GROUP BY 1, 2, 3, 4, 5, 6;
  INSERT INTO kms_key_tag_value_counts (tag_key, tag_value, account_id, region, severity, status, overdue, count)
    SELECT t.tag_key, t.tag_value, k.account_id, k.region, k.severity, k.status, k.overdue, count(*)
    FROM kms_keys k CROSS JOIN LATERAL kms_key_count_tags(k.tags) t WHERE k.gone_at IS NULL GROUP BY 1, 2, 3, 4, 5, 6, 7;
  DELETE FROM kms_key_open_days;
  INSERT INTO kms_key_open_days (account_id, region, severity, failing_day, due_day, count)
    SELECT account_id, region, severity, (failing_since AT TIME ZONE 'UTC')::date, (due_at AT TIME ZONE 'UTC')::date, count(*)
    FROM kms_keys WHERE gone_at IS NULL AND status = 'OPEN' GROUP BY 1, 2, 3, 4, 5;
  DELETE FROM kms_key_evaluations;
  INSERT INTO kms_key_evaluations (account_id, region, evaluated_at, count)
    SELECT account_id, region, evaluated_at, count(*) FROM kms_keys WHERE gone_at IS NULL GROUP BY 1, 2, 3;
  DELETE FROM scan_totals;
  INSERT INTO scan_totals (scan_id, severity, shard, count)
    SELECT scan_id, severity, count_shard(account_id, region), sum(count) FROM scan_summaries GROUP BY 1, 2, 3;
$$;

-- The rows there were carry no region: recounted.
DELETE FROM kms_key_open_days;
INSERT INTO kms_key_open_days (account_id, region, severity, failing_day, due_day, count)
  SELECT account_id, region, severity, (failing_since AT TIME ZONE 'UTC')::date, (due_at AT TIME ZONE 'UTC')::date, count(*)
  FROM kms_keys WHERE gone_at IS NULL AND status = 'OPEN' GROUP BY 1, 2, 3, 4, 5;
