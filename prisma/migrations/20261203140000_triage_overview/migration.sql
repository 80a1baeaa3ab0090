-- The overview's triage figures at a million keys: time to resolve from the resolutions alone, and
-- open findings by age from an index.
--
-- A RESOLVED event now carries the start of the failing period it ends (opened_at) and the severity
-- the finding had while failing: the time to resolve per severity is then a pass over the window's
-- RESOLVED events in the (kind, at) index, not a search for each one's opening event (0.7 s at a
-- million keys). Events recorded before this migration get both from the NEW or REOPENED event
-- before them (finding_events_fill_opened, which the benchmarks' generated history calls too).

SET LOCAL maintenance_work_mem = '256MB';

ALTER TABLE "finding_events" ADD COLUMN "opened_at" TIMESTAMPTZ(3);

CREATE FUNCTION finding_events_fill_opened() RETURNS void LANGUAGE sql AS $$
  UPDATE finding_events r SET opened_at = o.at, severity = o.severity
  FROM finding_events r0
  CROSS JOIN LATERAL (
    SELECT s.at, s.severity FROM finding_events s
    WHERE s.kms_key_id = r0.kms_key_id AND s.id < r0.id AND s.kind IN ('NEW', 'REOPENED')
    ORDER BY s.id DESC LIMIT 1
  ) o
  WHERE r.id = r0.id AND r0.kind = 'RESOLVED' AND r0.opened_at IS NULL;
$$;

SELECT finding_events_fill_opened();

CREATE OR REPLACE FUNCTION finding_events_on_write() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  scan text := nullif(current_setting('insights.scan_id', true), '');
  scan_at timestamptz;
BEGIN
  IF scan IS NOT NULL THEN
    SELECT started_at INTO scan_at FROM scans WHERE id = scan;
  END IF;
  IF TG_OP = 'INSERT' THEN
    INSERT INTO finding_events (kms_key_id, account_id, region, scan_id, at, kind, severity, reason, exception_id)
      SELECT n.id, n.account_id, n.region, scan, coalesce(scan_at, now()), 'NEW', n.severity, n.reason, n.exception_id
      FROM new_keys n WHERE n.status IN ('OPEN', 'EXCEPTED');
  ELSE
    INSERT INTO finding_events (kms_key_id, account_id, region, scan_id, at, kind, severity, reason, exception_id, opened_at)
      SELECT n.id, n.account_id, n.region, scan, coalesce(scan_at, now()), e.kind,
        CASE WHEN e.kind = 'RESOLVED' THEN o.severity ELSE n.severity END, e.reason, e.exception_id,
        CASE WHEN e.kind = 'RESOLVED' THEN o.failing_since END
      FROM new_keys n JOIN old_keys o ON o.id = n.id
      CROSS JOIN LATERAL (SELECT
        CASE
          WHEN n.status IN ('OPEN', 'EXCEPTED') AND o.status = 'PASSING' THEN 'NEW'
          WHEN n.status IN ('OPEN', 'EXCEPTED') AND o.status = 'RESOLVED' THEN 'REOPENED'
          WHEN n.status = 'RESOLVED' AND o.status IN ('OPEN', 'EXCEPTED') THEN 'RESOLVED'
          WHEN n.status = 'EXCEPTED' AND (o.status = 'OPEN' OR o.exception_id IS DISTINCT FROM n.exception_id) THEN 'EXCEPTED'
          WHEN n.status = 'OPEN' AND o.status = 'EXCEPTED' THEN 'EXCEPTION_ENDED'
        END::"FindingEventKind" AS kind,
        CASE
          WHEN n.status = 'RESOLVED' THEN n.resolved_reason
          WHEN n.status = 'OPEN' AND o.status = 'EXCEPTED' THEN
            CASE WHEN n.exception_expired_at IS NOT NULL THEN 'EXPIRED' ELSE 'REVOKED' END
          ELSE n.reason
        END AS reason,
        CASE WHEN n.status = 'OPEN' AND o.status = 'EXCEPTED' THEN o.exception_id ELSE n.exception_id END AS exception_id
      ) e
      WHERE e.kind IS NOT NULL;
  END IF;
  RETURN NULL;
END
$$;


DROP INDEX "finding_events_kind_at_idx";
CREATE INDEX "finding_events_kind_at_idx" ON "finding_events"("kind", "at") INCLUDE ("kms_key_id", "account_id", "severity", "opened_at");

-- Open findings by age read failing_since from the index of open findings' due dates.
CREATE INDEX "kms_keys_open_due_idx_v3" ON "kms_keys"("due_at") INCLUDE ("severity", "account_id", "failing_since") WHERE "gone_at" IS NULL AND "status" = 'OPEN';
DROP INDEX "kms_keys_open_due_idx";
ALTER INDEX "kms_keys_open_due_idx_v3" RENAME TO "kms_keys_open_due_idx";

-- Open findings per account, severity, day their failing period began and day they are due (UTC),
-- kept exact by triggers on kms_keys like the other count tables: the overview's ages (whole days
-- since that day) and its overdue count (due before today, plus today's from the index above) read
-- these few thousand rows instead of every open finding.
CREATE TABLE "kms_key_open_days" (
    "account_id" CHAR(12) NOT NULL,
    "severity" "Severity" NOT NULL,
    "failing_day" DATE NOT NULL,
    "due_day" DATE NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "kms_key_open_days_pkey" PRIMARY KEY ("account_id","severity","failing_day","due_day")
);
ALTER TABLE "kms_key_open_days" ADD CONSTRAINT "kms_key_open_days_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "aws_accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Adds per-group changes (n: the sum of +1 and -1 per key); groups that reach 0 are removed. Keys of
-- an account being removed are left out: its rows go with it (the foreign key).
CREATE FUNCTION kms_key_open_days_apply(
  d_account CHAR(12)[], d_severity "Severity"[], d_failing DATE[], d_due DATE[], d_n INTEGER[]
) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO kms_key_open_days AS c (account_id, severity, failing_day, due_day, count)
    SELECT d.account_id, d.severity, d.failing_day, d.due_day, sum(d.n)
    FROM unnest(d_account, d_severity, d_failing, d_due, d_n) AS d(account_id, severity, failing_day, due_day, n)
    WHERE EXISTS (SELECT 1 FROM aws_accounts a WHERE a.id = d.account_id)
    GROUP BY 1, 2, 3, 4 HAVING sum(d.n) <> 0 ORDER BY 1, 2, 3, 4
    ON CONFLICT (account_id, severity, failing_day, due_day) DO UPDATE SET count = c.count + EXCLUDED.count;
  IF EXISTS (SELECT 1 FROM unnest(d_n) AS n WHERE n < 0) THEN
    DELETE FROM kms_key_open_days c
    USING unnest(d_account, d_severity, d_failing, d_due) AS d(account_id, severity, failing_day, due_day)
    WHERE c.count = 0 AND (c.account_id, c.severity, c.failing_day, c.due_day)
      = (d.account_id, d.severity, d.failing_day, d.due_day);
  END IF;
END
$$;

-- The open live rows a statement made count +1 and those it replaced or removed -1, per group: a
-- scan that finds the same findings changes nothing here.
CREATE FUNCTION kms_key_open_days_on_write() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  d_account CHAR(12)[]; d_severity "Severity"[]; d_failing DATE[]; d_due DATE[]; d_n INTEGER[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(account_id), array_agg(severity), array_agg(f), array_agg(du), array_agg(n)
      INTO d_account, d_severity, d_failing, d_due, d_n
      FROM (SELECT account_id, severity, (failing_since AT TIME ZONE 'UTC')::date AS f,
              (due_at AT TIME ZONE 'UTC')::date AS du, count(*)::int AS n
            FROM new_keys WHERE gone_at IS NULL AND status = 'OPEN' GROUP BY 1, 2, 3, 4) g;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(account_id), array_agg(severity), array_agg(f), array_agg(du), array_agg(n)
      INTO d_account, d_severity, d_failing, d_due, d_n
      FROM (SELECT account_id, severity, (failing_since AT TIME ZONE 'UTC')::date AS f,
              (due_at AT TIME ZONE 'UTC')::date AS du, -count(*)::int AS n
            FROM old_keys WHERE gone_at IS NULL AND status = 'OPEN' GROUP BY 1, 2, 3, 4) g;
  ELSE
    SELECT array_agg(account_id), array_agg(severity), array_agg(f), array_agg(du), array_agg(n)
      INTO d_account, d_severity, d_failing, d_due, d_n
      FROM (
        SELECT account_id, severity, f, du, sum(n)::int AS n FROM (
          SELECT account_id, severity, (failing_since AT TIME ZONE 'UTC')::date AS f,
            (due_at AT TIME ZONE 'UTC')::date AS du, 1 AS n
          FROM new_keys WHERE gone_at IS NULL AND status = 'OPEN'
          UNION ALL
          SELECT account_id, severity, (failing_since AT TIME ZONE 'UTC')::date,
            (due_at AT TIME ZONE 'UTC')::date, -1
          FROM old_keys WHERE gone_at IS NULL AND status = 'OPEN'
        ) x GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0
      ) g;
  END IF;
  IF d_n IS NOT NULL THEN
    PERFORM kms_key_open_days_apply(d_account, d_severity, d_failing, d_due, d_n);
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER "kms_keys_open_days_insert" AFTER INSERT ON "kms_keys"
  REFERENCING NEW TABLE AS new_keys FOR EACH STATEMENT EXECUTE FUNCTION kms_key_open_days_on_write();
CREATE TRIGGER "kms_keys_open_days_update" AFTER UPDATE ON "kms_keys"
  REFERENCING OLD TABLE AS old_keys NEW TABLE AS new_keys FOR EACH STATEMENT EXECUTE FUNCTION kms_key_open_days_on_write();
CREATE TRIGGER "kms_keys_open_days_delete" AFTER DELETE ON "kms_keys"
  REFERENCING OLD TABLE AS old_keys FOR EACH STATEMENT EXECUTE FUNCTION kms_key_open_days_on_write();

INSERT INTO kms_key_open_days (account_id, severity, failing_day, due_day, count)
  SELECT account_id, severity, (failing_since AT TIME ZONE 'UTC')::date, (due_at AT TIME ZONE 'UTC')::date, count(*)
  FROM kms_keys WHERE gone_at IS NULL AND status = 'OPEN' GROUP BY 1, 2, 3, 4;

-- TRUNCATE of the keys empties this count table too, as it does the others.
CREATE OR REPLACE FUNCTION kms_key_counts_on_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM kms_key_tag_value_counts;
  DELETE FROM kms_key_tag_counts;
  DELETE FROM kms_key_counts;
  DELETE FROM kms_key_severity_counts;
  DELETE FROM kms_key_evaluations;
  DELETE FROM kms_key_open_days;
  RETURN NULL;
END
$$;

-- The repair recounts this table too.
CREATE OR REPLACE FUNCTION insight_counts_rebuild() RETURNS void LANGUAGE sql AS $$
  DELETE FROM kms_key_tag_value_counts;
  DELETE FROM kms_key_tag_counts;
  DELETE FROM kms_key_counts;
  DELETE FROM kms_key_severity_counts;
  INSERT INTO kms_key_counts (account_id, region, severity, status, count)
    SELECT account_id, region, severity, status, count(*) FROM kms_keys WHERE gone_at IS NULL GROUP BY 1, 2, 3, 4;
  INSERT INTO kms_key_tag_counts (tag_key, account_id, region, severity, status, count)
    SELECT t.tag_key, k.account_id, k.region, k.severity, k.status, count(*)
    FROM kms_keys k CROSS JOIN LATERAL kms_key_count_tags(k.tags) t WHERE k.gone_at IS NULL GROUP BY 1, 2, 3, 4, 5;
  INSERT INTO kms_key_tag_value_counts (tag_key, tag_value, account_id, region, severity, status, count)
    SELECT t.tag_key, t.tag_value, k.account_id, k.region, k.severity, k.status, count(*)
    FROM kms_keys k CROSS JOIN LATERAL kms_key_count_tags(k.tags) t WHERE k.gone_at IS NULL GROUP BY 1, 2, 3, 4, 5, 6;
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
