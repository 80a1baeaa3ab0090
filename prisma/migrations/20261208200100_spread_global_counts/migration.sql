-- The global counts (kms_key_severity_counts: a row per severity, status and mark; scan_totals: a
-- row per scan and severity) were a handful of rows that every scan job's key write and summary
-- updated and kept locked until its commit, so concurrent jobs waited on each other there. Each
-- row is now split into 64 shards, a statement's changes going to the shard of the account and
-- region they count (count_shard): concurrent jobs of different account-regions rarely touch the
-- same row. Readers already add the rows up per group (sum(c.count), GROUP BY); the rows there
-- were before are shard 0, so nothing needs recounting.

-- The shard of an account-region's rows in the spread count tables (0 to 63).
CREATE FUNCTION count_shard(account_id TEXT, region TEXT) RETURNS SMALLINT
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT (hashtext(account_id || '/' || region) & 63)::smallint $$;

ALTER TABLE "kms_key_severity_counts" ADD COLUMN "shard" SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE "kms_key_severity_counts" ALTER COLUMN "shard" DROP DEFAULT;
ALTER TABLE "kms_key_severity_counts" DROP CONSTRAINT "kms_key_severity_counts_pkey",
  ADD CONSTRAINT "kms_key_severity_counts_pkey" PRIMARY KEY ("severity","status","overdue","shard");

ALTER TABLE "scan_totals" ADD COLUMN "shard" SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE "scan_totals" ALTER COLUMN "shard" DROP DEFAULT;
ALTER TABLE "scan_totals" DROP CONSTRAINT "scan_totals_pkey",
  ADD CONSTRAINT "scan_totals_pkey" PRIMARY KEY ("scan_id","severity","shard");

-- Migration 20261207100000's, by shard.
CREATE OR REPLACE FUNCTION kms_key_severity_counts_on_write() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO kms_key_severity_counts AS t (severity, status, overdue, shard, count)
      SELECT severity, status, overdue, count_shard(account_id, region), sum(count) FROM new_counts
      GROUP BY 1, 2, 3, 4 HAVING sum(count) <> 0 ORDER BY 1, 2, 3, 4
      ON CONFLICT (severity, status, overdue, shard) DO UPDATE SET count = t.count + EXCLUDED.count;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO kms_key_severity_counts AS t (severity, status, overdue, shard, count)
      SELECT severity, status, overdue, count_shard(account_id, region), sum(n) FROM (
        SELECT account_id, region, severity, status, overdue, count AS n FROM new_counts
        UNION ALL SELECT account_id, region, severity, status, overdue, -count FROM old_counts
      ) d GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0 ORDER BY 1, 2, 3, 4
      ON CONFLICT (severity, status, overdue, shard) DO UPDATE SET count = t.count + EXCLUDED.count;
  ELSE
    INSERT INTO kms_key_severity_counts AS t (severity, status, overdue, shard, count)
      SELECT severity, status, overdue, count_shard(account_id, region), -sum(count) FROM old_counts
      GROUP BY 1, 2, 3, 4 HAVING sum(count) <> 0 ORDER BY 1, 2, 3, 4
      ON CONFLICT (severity, status, overdue, shard) DO UPDATE SET count = t.count + EXCLUDED.count;
  END IF;
  RETURN NULL;
END
$$;

-- Migration 20261130140000's, by shard.
CREATE OR REPLACE FUNCTION scan_totals_on_write() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- A scan being removed takes its summaries and totals with it: nothing to add up for it.
  IF TG_OP = 'INSERT' THEN
    INSERT INTO scan_totals AS t (scan_id, severity, shard, count)
      SELECT n.scan_id, n.severity, count_shard(n.account_id, n.region), sum(n.count) FROM new_summaries n
      WHERE EXISTS (SELECT 1 FROM scans s WHERE s.id = n.scan_id)
      GROUP BY 1, 2, 3 HAVING sum(n.count) <> 0 ORDER BY 1, 2, 3
      ON CONFLICT (scan_id, severity, shard) DO UPDATE SET count = t.count + EXCLUDED.count;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO scan_totals AS t (scan_id, severity, shard, count)
      SELECT d.scan_id, d.severity, count_shard(d.account_id, d.region), sum(d.count) FROM (
        SELECT scan_id, account_id, region, severity, count FROM new_summaries
        UNION ALL SELECT scan_id, account_id, region, severity, -count FROM old_summaries
      ) d
      WHERE EXISTS (SELECT 1 FROM scans s WHERE s.id = d.scan_id)
      GROUP BY 1, 2, 3 HAVING sum(d.count) <> 0 ORDER BY 1, 2, 3
      ON CONFLICT (scan_id, severity, shard) DO UPDATE SET count = t.count + EXCLUDED.count;
  ELSE
    INSERT INTO scan_totals AS t (scan_id, severity, shard, count)
      SELECT o.scan_id, o.severity, count_shard(o.account_id, o.region), -sum(o.count) FROM old_summaries o
      WHERE EXISTS (SELECT 1 FROM scans s WHERE s.id = o.scan_id)
      GROUP BY 1, 2, 3 HAVING sum(o.count) <> 0 ORDER BY 1, 2, 3
      ON CONFLICT (scan_id, severity, shard) DO UPDATE SET count = t.count + EXCLUDED.count;
  END IF;
  RETURN NULL;
END
$$;

-- Migration 20261207100000's, the two spread tables recounted by shard.
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
  INSERT INTO kms_key_open_days (account_id, severity, failing_day, due_day, count)
    SELECT account_id, severity, (failing_since AT TIME ZONE 'UTC')::date, (due_at AT TIME ZONE 'UTC')::date, count(*)
    FROM kms_keys WHERE gone_at IS NULL AND status = 'OPEN' GROUP BY 1, 2, 3, 4;
  DELETE FROM kms_key_evaluations;
  INSERT INTO kms_key_evaluations (account_id, region, evaluated_at, count)
    SELECT account_id, region, evaluated_at, count(*) FROM kms_keys WHERE gone_at IS NULL GROUP BY 1, 2, 3;
  DELETE FROM scan_totals;
  INSERT INTO scan_totals (scan_id, severity, shard, count)
    SELECT scan_id, severity, count_shard(account_id, region), sum(count) FROM scan_summaries GROUP BY 1, 2, 3;
$$;
