-- Overdue in the count tables: the filter bar's counts under `overdue=1` are read from the count
-- tables like those of a status, instead of grouping every overdue key (94,000 at a million keys:
-- longer than the counts' time limit). See docs/benchmarks.md, "Facets and search at a million
-- keys, round 2".
--
-- A finding is overdue when it is open and past its due date (the table's filter: status OPEN and
-- due_at < now()). Time makes findings overdue without any write, so the key row carries a mark,
-- `overdue`, that is true only for findings overdue when it was set: a trigger sets it whenever the
-- status or the due date changes, and a periodic sweep (lib/triage/overdue.ts) marks the findings
-- that fell due since. The count tables count by the mark, through the same statement triggers as
-- the other columns. The readers add the open findings past their due date not yet marked (from
-- the small index below; none right after a sweep): the counts equal the filter at every instant,
-- whether the sweep runs or not.

SET LOCAL maintenance_work_mem = '256MB';

ALTER TABLE "kms_keys" ADD COLUMN "overdue" BOOLEAN NOT NULL DEFAULT false;

-- Existing findings (the count triggers of before ignore this column: nothing is counted twice).
UPDATE "kms_keys" SET "overdue" = true WHERE "status" = 'OPEN' AND "due_at" < now();

-- Set on every write of the status or the due date (after the lifecycle trigger, which sets both:
-- BEFORE triggers run in name order), never from elsewhere: a mark set by hand is checked again.
CREATE FUNCTION kms_key_overdue() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.overdue := NEW.status = 'OPEN' AND NEW.due_at IS NOT NULL AND NEW.due_at < now();
  RETURN NEW;
END
$$;

CREATE TRIGGER "kms_keys_overdue_insert" BEFORE INSERT ON "kms_keys"
  FOR EACH ROW WHEN (NEW.status = 'OPEN' OR NEW.overdue) EXECUTE FUNCTION kms_key_overdue();
CREATE TRIGGER "kms_keys_overdue_update" BEFORE UPDATE ON "kms_keys"
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.due_at IS DISTINCT FROM NEW.due_at
    OR OLD.overdue IS DISTINCT FROM NEW.overdue)
  EXECUTE FUNCTION kms_key_overdue();

-- Open findings not marked, by due date: the sweep's work and the readers' addition (those due
-- before now), a short range.
CREATE INDEX "kms_keys_open_unmarked_due_idx" ON "kms_keys"("due_at")
  WHERE "gone_at" IS NULL AND "status" = 'OPEN' AND NOT "overdue";

-- The count tables gain the mark (false but for open findings), in their primary keys.
ALTER TABLE "kms_key_counts" ADD COLUMN "overdue" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "kms_key_counts" ALTER COLUMN "overdue" DROP DEFAULT;
ALTER TABLE "kms_key_counts" DROP CONSTRAINT "kms_key_counts_pkey",
  ADD CONSTRAINT "kms_key_counts_pkey" PRIMARY KEY ("account_id","region","severity","status","overdue");
DROP INDEX "kms_key_counts_severity_account_id_region_idx";
CREATE INDEX "kms_key_counts_severity_account_id_region_idx" ON "kms_key_counts"("severity", "account_id", "region") INCLUDE ("status", "overdue", "count");

ALTER TABLE "kms_key_tag_counts" ADD COLUMN "overdue" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "kms_key_tag_counts" ALTER COLUMN "overdue" DROP DEFAULT;
ALTER TABLE "kms_key_tag_counts" DROP CONSTRAINT "kms_key_tag_counts_pkey",
  ADD CONSTRAINT "kms_key_tag_counts_pkey" PRIMARY KEY ("tag_key","account_id","region","severity","status","overdue");

ALTER TABLE "kms_key_tag_value_counts" ADD COLUMN "overdue" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "kms_key_tag_value_counts" ALTER COLUMN "overdue" DROP DEFAULT;
ALTER TABLE "kms_key_tag_value_counts" DROP CONSTRAINT "kms_key_tag_value_counts_pkey",
  ADD CONSTRAINT "kms_key_tag_value_counts_pkey" PRIMARY KEY ("tag_key","tag_value","account_id","region","severity","status","overdue");

ALTER TABLE "kms_key_severity_counts" ADD COLUMN "overdue" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "kms_key_severity_counts" ALTER COLUMN "overdue" DROP DEFAULT;
ALTER TABLE "kms_key_severity_counts" DROP CONSTRAINT "kms_key_severity_counts_pkey",
  ADD CONSTRAINT "kms_key_severity_counts_pkey" PRIMARY KEY ("severity","status","overdue");

-- The functions of migration 20261203100000 with the mark beside the status.
CREATE FUNCTION kms_key_count_changes(
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
    WHERE EXISTS (SELECT 1 FROM aws_accounts a WHERE a.id = d.account_id)
  $$;

CREATE FUNCTION kms_key_counts_apply(
  d_account CHAR(12)[], d_region TEXT[], d_severity "Severity"[], d_status "FindingStatus"[], d_overdue BOOLEAN[],
  d_tags JSONB[], d_n INTEGER[]
) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  WITH d AS MATERIALIZED (
    SELECT * FROM kms_key_count_changes(d_account, d_region, d_severity, d_status, d_overdue, d_tags, d_n)
  ), keys AS (
    INSERT INTO kms_key_counts AS c (account_id, region, severity, status, overdue, count)
      SELECT d.account_id, d.region, d.severity, d.status, d.overdue, sum(d.n) FROM d WHERE d.tag_key IS NULL
      GROUP BY 1, 2, 3, 4, 5 HAVING sum(d.n) <> 0 ORDER BY 1, 2, 3, 4, 5
      ON CONFLICT (account_id, region, severity, status, overdue) DO UPDATE SET count = c.count + EXCLUDED.count
  ), tags AS (
    INSERT INTO kms_key_tag_counts AS c (tag_key, account_id, region, severity, status, overdue, count)
      SELECT d.tag_key, d.account_id, d.region, d.severity, d.status, d.overdue, sum(d.n) FROM d WHERE d.tag_key IS NOT NULL
      GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(d.n) <> 0 ORDER BY 1, 2, 3, 4, 5, 6
      ON CONFLICT (tag_key, account_id, region, severity, status, overdue) DO UPDATE SET count = c.count + EXCLUDED.count
  )
  INSERT INTO kms_key_tag_value_counts AS c (tag_key, tag_value, account_id, region, severity, status, overdue, count)
    SELECT d.tag_key, d.tag_value, d.account_id, d.region, d.severity, d.status, d.overdue, sum(d.n) FROM d
    WHERE d.tag_key IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING sum(d.n) <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7
    ON CONFLICT (tag_key, tag_value, account_id, region, severity, status, overdue) DO UPDATE SET count = c.count + EXCLUDED.count;

  IF EXISTS (SELECT 1 FROM unnest(d_n) AS n WHERE n < 0) THEN
    WITH d AS MATERIALIZED (
      SELECT * FROM kms_key_count_changes(d_account, d_region, d_severity, d_status, d_overdue, d_tags, d_n)
    ), keys AS (
      DELETE FROM kms_key_counts c USING d
      WHERE c.count = 0 AND d.tag_key IS NULL
        AND (c.account_id, c.region, c.severity, c.status, c.overdue) = (d.account_id, d.region, d.severity, d.status, d.overdue)
    ), tags AS (
      DELETE FROM kms_key_tag_counts c USING d
      WHERE c.count = 0 AND (c.tag_key, c.account_id, c.region, c.severity, c.status, c.overdue)
        = (d.tag_key, d.account_id, d.region, d.severity, d.status, d.overdue)
    )
    DELETE FROM kms_key_tag_value_counts c USING d
    WHERE c.count = 0 AND (c.tag_key, c.tag_value, c.account_id, c.region, c.severity, c.status, c.overdue)
      = (d.tag_key, d.tag_value, d.account_id, d.region, d.severity, d.status, d.overdue);
  END IF;
END
$$;

CREATE OR REPLACE FUNCTION kms_key_counts_on_write() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  d_account CHAR(12)[]; d_region TEXT[]; d_severity "Severity"[]; d_status "FindingStatus"[]; d_overdue BOOLEAN[];
  d_tags JSONB[]; d_n INTEGER[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(account_id), array_agg(region), array_agg(severity), array_agg(status), array_agg(overdue),
        array_agg(tags), array_agg(1)
      INTO d_account, d_region, d_severity, d_status, d_overdue, d_tags, d_n
      FROM new_keys WHERE gone_at IS NULL;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(account_id), array_agg(region), array_agg(severity), array_agg(status), array_agg(overdue),
        array_agg(tags), array_agg(-1)
      INTO d_account, d_region, d_severity, d_status, d_overdue, d_tags, d_n
      FROM old_keys WHERE gone_at IS NULL;
  ELSE
    SELECT array_agg(account_id), array_agg(region), array_agg(severity), array_agg(status), array_agg(overdue),
        array_agg(tags), array_agg(n)
      INTO d_account, d_region, d_severity, d_status, d_overdue, d_tags, d_n
      FROM (
        SELECT nk.account_id, nk.region, nk.severity, nk.status, nk.overdue, nk.tags, 1 AS n FROM new_keys nk
        WHERE nk.gone_at IS NULL AND NOT EXISTS (
          SELECT 1 FROM old_keys ok WHERE ok.id = nk.id AND ok.gone_at IS NULL AND ok.account_id = nk.account_id
            AND ok.region = nk.region AND ok.severity = nk.severity AND ok.status = nk.status
            AND ok.overdue = nk.overdue AND ok.tags = nk.tags)
        UNION ALL
        SELECT ok.account_id, ok.region, ok.severity, ok.status, ok.overdue, ok.tags, -1 FROM old_keys ok
        WHERE ok.gone_at IS NULL AND NOT EXISTS (
          SELECT 1 FROM new_keys nk WHERE nk.id = ok.id AND nk.gone_at IS NULL AND nk.account_id = ok.account_id
            AND nk.region = ok.region AND nk.severity = ok.severity AND nk.status = ok.status
            AND nk.overdue = ok.overdue AND nk.tags = ok.tags)
      ) changed;
  END IF;
  IF d_n IS NOT NULL THEN
    PERFORM kms_key_counts_apply(d_account, d_region, d_severity, d_status, d_overdue, d_tags, d_n);
  END IF;
  RETURN NULL;
END
$$;

DROP FUNCTION kms_key_counts_apply(CHAR(12)[], TEXT[], "Severity"[], "FindingStatus"[], JSONB[], INTEGER[]);
DROP FUNCTION kms_key_count_changes(CHAR(12)[], TEXT[], "Severity"[], "FindingStatus"[], JSONB[], INTEGER[]);

CREATE OR REPLACE FUNCTION kms_key_severity_counts_on_write() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO kms_key_severity_counts AS t (severity, status, overdue, count)
      SELECT severity, status, overdue, sum(count) FROM new_counts GROUP BY 1, 2, 3 HAVING sum(count) <> 0 ORDER BY 1, 2, 3
      ON CONFLICT (severity, status, overdue) DO UPDATE SET count = t.count + EXCLUDED.count;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO kms_key_severity_counts AS t (severity, status, overdue, count)
      SELECT severity, status, overdue, sum(n) FROM (
        SELECT severity, status, overdue, count AS n FROM new_counts
        UNION ALL SELECT severity, status, overdue, -count FROM old_counts
      ) d GROUP BY 1, 2, 3 HAVING sum(n) <> 0 ORDER BY 1, 2, 3
      ON CONFLICT (severity, status, overdue) DO UPDATE SET count = t.count + EXCLUDED.count;
  ELSE
    INSERT INTO kms_key_severity_counts AS t (severity, status, overdue, count)
      SELECT severity, status, overdue, -sum(count) FROM old_counts GROUP BY 1, 2, 3 HAVING sum(count) <> 0 ORDER BY 1, 2, 3
      ON CONFLICT (severity, status, overdue) DO UPDATE SET count = t.count + EXCLUDED.count;
  END IF;
  RETURN NULL;
END
$$;

-- The repair recounts by the mark too (migration 20261203140000's, the mark added).
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
  INSERT INTO scan_totals (scan_id, severity, count)
    SELECT scan_id, severity, sum(count) FROM scan_summaries GROUP BY 1, 2;
$$;

-- Only the four count tables by the keys need recounting; the others are as they were.
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
