-- Triage: each finding's life across scans (status, first seen failing, resolved, reopened, due),
-- its events, each scan's delta, exceptions (accepted risk, false positive) and the analyst role.
-- See docs/triage.md for the rules these statements implement.

SET LOCAL maintenance_work_mem = '256MB';

ALTER TYPE "Role" ADD VALUE IF NOT EXISTS 'ANALYST' BEFORE 'VIEWER';

CREATE TYPE "FindingStatus" AS ENUM ('OPEN', 'EXCEPTED', 'RESOLVED', 'PASSING');
CREATE TYPE "FindingEventKind" AS ENUM ('NEW', 'RESOLVED', 'REOPENED', 'EXCEPTED', 'EXCEPTION_ENDED');
CREATE TYPE "ExceptionKind" AS ENUM ('ACCEPTED_RISK', 'FALSE_POSITIVE');

-- 1. Exceptions. A row is one version: a change is a new row that supersedes the one before it
-- (series_id is the first version's id), never an update of what was approved. In force: approved,
-- not revoked, not superseded, not expired. Scope: the listed keys (by ARN) or a rule; a rule's
-- empty list means any (any account, any region, any value of the tag key).
CREATE TABLE "exceptions" (
    "id" TEXT NOT NULL,
    "series_id" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "kind" "ExceptionKind" NOT NULL,
    "justification" TEXT NOT NULL,
    "owner_id" TEXT,
    "owner_email" TEXT NOT NULL,
    "created_by_id" TEXT,
    "created_by_email" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "ticket_url" TEXT,
    "key_arns" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "accounts" CHAR(12)[] NOT NULL DEFAULT ARRAY[]::CHAR(12)[],
    "regions" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "tag_key" TEXT,
    "tag_values" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "alias_prefix" TEXT,
    "approved_at" TIMESTAMPTZ(3),
    "approved_by_email" TEXT,
    "revoked_at" TIMESTAMPTZ(3),
    "revoked_by_email" TEXT,
    "superseded_at" TIMESTAMPTZ(3),
    "superseded_by" TEXT,

    CONSTRAINT "exceptions_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "exceptions_justification_check" CHECK (length(btrim("justification")) > 0),
    CONSTRAINT "exceptions_ticket_url_check" CHECK ("ticket_url" IS NULL OR "ticket_url" ~ '^https?://'),
    CONSTRAINT "exceptions_expiry_check" CHECK ("expires_at" > "created_at"
        AND "expires_at" <= "created_at" + interval '366 days')
);

CREATE UNIQUE INDEX "exceptions_series_id_version_key" ON "exceptions"("series_id", "version");
CREATE INDEX "exceptions_expires_at_idx" ON "exceptions"("expires_at");
ALTER TABLE "exceptions" ADD CONSTRAINT "exceptions_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "exceptions" ADD CONSTRAINT "exceptions_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- 2. The finding kept on its key's row (the insight table filters and sorts one table):
--   status           OPEN (failing, no exception), EXCEPTED (failing, covered), RESOLVED (failed
--                    before, passes now or the key is gone), PASSING (never failed);
--   first_failed_at  the first time it was seen failing; failing_since: the start of the current
--                    (or last) failing period; due_at: failing_since plus the SLA of its severity;
--   resolved_at/_reason, reopened_count; exception_id: the exception in force that excepts the
--                    failing finding (null while the key passes); exception_expired_at: the expiry of the
--                    exception whose end reopened it.
ALTER TABLE "kms_keys"
    ADD COLUMN "status" "FindingStatus" NOT NULL DEFAULT 'PASSING',
    ADD COLUMN "first_failed_at" TIMESTAMPTZ(3),
    ADD COLUMN "failing_since" TIMESTAMPTZ(3),
    ADD COLUMN "due_at" TIMESTAMPTZ(3),
    ADD COLUMN "resolved_at" TIMESTAMPTZ(3),
    ADD COLUMN "resolved_reason" TEXT,
    ADD COLUMN "reopened_count" INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN "exception_id" TEXT,
    ADD COLUMN "exception_expired_at" TIMESTAMPTZ(3);

ALTER TABLE "kms_keys" ADD CONSTRAINT "kms_keys_exception_id_fkey" FOREIGN KEY ("exception_id") REFERENCES "exceptions"("id") ON DELETE SET NULL ON UPDATE CASCADE;
CREATE INDEX "kms_keys_exception_id_idx" ON "kms_keys"("exception_id") WHERE "exception_id" IS NOT NULL;

-- The SLA in days of a severity: the settings sla.criticalDays and sla.warningDays (lib/settings),
-- or their defaults (a unit test checks that these equal the settings' defaults).
CREATE FUNCTION insight_sla_days(sev "Severity") RETURNS integer LANGUAGE sql STABLE AS $$
  SELECT CASE sev
    WHEN 'CRITICAL' THEN coalesce((SELECT (value #>> '{}')::integer FROM settings WHERE key = 'sla.criticalDays'), 30)
    WHEN 'WARNING' THEN coalesce((SELECT (value #>> '{}')::integer FROM settings WHERE key = 'sla.warningDays'), 90)
  END
$$;

-- Each writer of kms_keys (the collector's batches, gone keys, re-evaluation, exceptions coming into
-- force or ending) sets the verdict, the liveness or the covering exception; this trigger derives
-- the finding's life from them, the same way for all. It runs only for rows where one of those
-- changed (the WHEN clause, checked without entering PL/pgSQL): a scan that finds the same verdicts
-- costs nothing here. The time of a change is the evaluation's when the statement evaluated the key.
CREATE FUNCTION kms_key_lifecycle() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  failing boolean := NEW.gone_at IS NULL AND NEW.severity IN ('CRITICAL', 'WARNING');
  was_failing boolean := TG_OP = 'UPDATE' AND OLD.status IN ('OPEN', 'EXCEPTED');
  at timestamptz := CASE WHEN TG_OP = 'INSERT' OR NEW.evaluated_at IS DISTINCT FROM OLD.evaluated_at
                         THEN NEW.evaluated_at ELSE now() END;
BEGIN
  IF failing THEN
    NEW.status := CASE WHEN NEW.exception_id IS NULL THEN 'OPEN' ELSE 'EXCEPTED' END;
    IF NOT was_failing THEN
      NEW.first_failed_at := coalesce(NEW.first_failed_at, at);
      NEW.failing_since := at;
      NEW.resolved_at := NULL;
      NEW.resolved_reason := NULL;
      IF TG_OP = 'UPDATE' AND OLD.status = 'RESOLVED' THEN
        NEW.reopened_count := OLD.reopened_count + 1;
      END IF;
    END IF;
    NEW.due_at := NEW.failing_since + insight_sla_days(NEW.severity) * interval '1 day';
    IF NEW.status = 'EXCEPTED' THEN
      NEW.exception_expired_at := NULL;
    ELSIF TG_OP = 'UPDATE' AND OLD.exception_id IS NOT NULL AND NEW.exception_id IS NULL THEN
      -- Its exception ended: by expiry unless it was revoked or replaced.
      NEW.exception_expired_at := (SELECT x.expires_at FROM exceptions x WHERE x.id = OLD.exception_id
                                     AND x.revoked_at IS NULL AND x.superseded_at IS NULL);
    END IF;
  ELSE
    IF was_failing THEN
      NEW.status := 'RESOLVED';
      NEW.resolved_at := at;
      -- The verdict's reason (ROTATION_ENABLED, PENDING_DELETION, AWS_MANAGED, …), or the key's end.
      NEW.resolved_reason := CASE WHEN NEW.gone_at IS NOT NULL THEN 'KEY_DELETED' ELSE NEW.reason END;
    ELSIF TG_OP = 'INSERT' THEN
      NEW.status := CASE WHEN NEW.first_failed_at IS NULL THEN 'PASSING' ELSE 'RESOLVED' END;
    ELSE
      NEW.status := OLD.status;
    END IF;
    NEW.due_at := NULL;
    NEW.exception_expired_at := NULL;
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER "kms_keys_lifecycle_insert" BEFORE INSERT ON "kms_keys"
  FOR EACH ROW EXECUTE FUNCTION kms_key_lifecycle();
CREATE TRIGGER "kms_keys_lifecycle_update" BEFORE UPDATE ON "kms_keys"
  FOR EACH ROW WHEN (OLD.severity IS DISTINCT FROM NEW.severity OR OLD.gone_at IS DISTINCT FROM NEW.gone_at
    OR OLD.exception_id IS DISTINCT FROM NEW.exception_id OR OLD.status IS DISTINCT FROM NEW.status)
  EXECUTE FUNCTION kms_key_lifecycle();

-- 3. Events: each change of a finding, with the scan that saw it. A scan's writes name their scan in
-- the transaction setting insights.scan_id (lib/collector); their events are dated at the scan's
-- start, so that "since scan S" is simply "after S started". Other changes are dated when made.
CREATE TABLE "finding_events" (
    "id" BIGSERIAL NOT NULL,
    "kms_key_id" TEXT NOT NULL,
    "account_id" CHAR(12) NOT NULL,
    "region" TEXT NOT NULL,
    "scan_id" TEXT,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "kind" "FindingEventKind" NOT NULL,
    "severity" "Severity" NOT NULL,
    "reason" TEXT,
    "exception_id" TEXT,

    CONSTRAINT "finding_events_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "finding_events_kms_key_id_at_idx" ON "finding_events"("kms_key_id", "at");
CREATE INDEX "finding_events_kind_at_idx" ON "finding_events"("kind", "at") INCLUDE ("kms_key_id");
CREATE INDEX "finding_events_scan_id_account_id_region_idx" ON "finding_events"("scan_id", "account_id", "region");
ALTER TABLE "finding_events" ADD CONSTRAINT "finding_events_kms_key_id_fkey" FOREIGN KEY ("kms_key_id") REFERENCES "kms_keys"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE FUNCTION finding_events_on_write() RETURNS trigger LANGUAGE plpgsql AS $$
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
    INSERT INTO finding_events (kms_key_id, account_id, region, scan_id, at, kind, severity, reason, exception_id)
      SELECT n.id, n.account_id, n.region, scan, coalesce(scan_at, now()), e.kind, n.severity, e.reason, e.exception_id
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

CREATE TRIGGER "kms_keys_events_insert" AFTER INSERT ON "kms_keys"
  REFERENCING NEW TABLE AS new_keys FOR EACH STATEMENT EXECUTE FUNCTION finding_events_on_write();
CREATE TRIGGER "kms_keys_events_update" AFTER UPDATE ON "kms_keys"
  REFERENCING OLD TABLE AS old_keys NEW TABLE AS new_keys FOR EACH STATEMENT EXECUTE FUNCTION finding_events_on_write();

-- 4. Each scan's delta per account-region (lib/collector/scan.ts recordSummary, from the events).
CREATE TABLE "scan_deltas" (
    "scan_id" TEXT NOT NULL,
    "account_id" CHAR(12) NOT NULL,
    "region" TEXT NOT NULL,
    "new" INTEGER NOT NULL,
    "resolved" INTEGER NOT NULL,
    "reopened" INTEGER NOT NULL,
    "still_failing" INTEGER NOT NULL,

    CONSTRAINT "scan_deltas_pkey" PRIMARY KEY ("scan_id","account_id","region")
);
ALTER TABLE "scan_deltas" ADD CONSTRAINT "scan_deltas_scan_id_fkey" FOREIGN KEY ("scan_id") REFERENCES "scans"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- 5. The count tables gain the status: the default view (every status but EXCEPTED) and the status
-- filter are answered from them like the other filters. Failing keys are OPEN or EXCEPTED, the
-- others RESOLVED or PASSING: at most two statuses per severity.
DROP TRIGGER "kms_keys_counts_insert" ON "kms_keys";
DROP TRIGGER "kms_keys_counts_update" ON "kms_keys";
DROP TRIGGER "kms_keys_counts_delete" ON "kms_keys";
DROP FUNCTION kms_key_counts_on_write();
DROP FUNCTION kms_key_counts_apply(CHAR(12)[], TEXT[], "Severity"[], JSONB[], INTEGER[]);
DROP FUNCTION kms_key_count_changes(CHAR(12)[], TEXT[], "Severity"[], JSONB[], INTEGER[]);
DROP TRIGGER "kms_key_counts_severity_insert" ON "kms_key_counts";
DROP TRIGGER "kms_key_counts_severity_update" ON "kms_key_counts";
DROP TRIGGER "kms_key_counts_severity_delete" ON "kms_key_counts";
DROP FUNCTION kms_key_severity_counts_on_write();

-- Existing keys: failing ones are open since the first failing evaluation of their history (their
-- key's first sighting when none is kept); the others resolved if their history shows a failure.
-- Done before the count tables are rebuilt (below), with the lifecycle trigger off: nothing here is
-- a change of the finding, and it records no event.
ALTER TABLE "kms_keys" DISABLE TRIGGER "kms_keys_lifecycle_update";
ALTER TABLE "kms_keys" DISABLE TRIGGER "kms_keys_events_update";
UPDATE "kms_keys" k SET
  status = CASE WHEN k.gone_at IS NULL AND k.severity IN ('CRITICAL', 'WARNING') THEN 'OPEN'
                WHEN h.first_failed IS NOT NULL THEN 'RESOLVED' ELSE 'PASSING' END::"FindingStatus",
  first_failed_at = CASE WHEN k.gone_at IS NULL AND k.severity IN ('CRITICAL', 'WARNING')
                         THEN coalesce(h.first_failed, k.first_seen_at) ELSE h.first_failed END,
  failing_since = CASE WHEN k.gone_at IS NULL AND k.severity IN ('CRITICAL', 'WARNING')
                       THEN coalesce(h.first_failed, k.first_seen_at) END,
  due_at = CASE WHEN k.gone_at IS NULL AND k.severity IN ('CRITICAL', 'WARNING')
                THEN coalesce(h.first_failed, k.first_seen_at) + insight_sla_days(k.severity) * interval '1 day' END
FROM (
  SELECT kk.id, (SELECT min(fh.evaluated_at) FROM finding_history fh
                 WHERE fh.kms_key_id = kk.id AND fh.severity IN ('CRITICAL', 'WARNING')) AS first_failed
  FROM kms_keys kk
) h
WHERE h.id = k.id AND (h.first_failed IS NOT NULL OR (k.gone_at IS NULL AND k.severity IN ('CRITICAL', 'WARNING')));
ALTER TABLE "kms_keys" ENABLE TRIGGER "kms_keys_lifecycle_update";
ALTER TABLE "kms_keys" ENABLE TRIGGER "kms_keys_events_update";

ALTER TABLE "kms_key_counts" ADD COLUMN "status" "FindingStatus" NOT NULL DEFAULT 'PASSING';
ALTER TABLE "kms_key_counts" ALTER COLUMN "status" DROP DEFAULT;
ALTER TABLE "kms_key_counts" DROP CONSTRAINT "kms_key_counts_pkey",
  ADD CONSTRAINT "kms_key_counts_pkey" PRIMARY KEY ("account_id","region","severity","status");
DROP INDEX "kms_key_counts_severity_account_id_region_idx";
CREATE INDEX "kms_key_counts_severity_account_id_region_idx" ON "kms_key_counts"("severity", "account_id", "region") INCLUDE ("status", "count");

ALTER TABLE "kms_key_tag_counts" ADD COLUMN "status" "FindingStatus" NOT NULL DEFAULT 'PASSING';
ALTER TABLE "kms_key_tag_counts" ALTER COLUMN "status" DROP DEFAULT;
ALTER TABLE "kms_key_tag_counts" DROP CONSTRAINT "kms_key_tag_counts_pkey",
  ADD CONSTRAINT "kms_key_tag_counts_pkey" PRIMARY KEY ("tag_key","account_id","region","severity","status");

ALTER TABLE "kms_key_tag_value_counts" ADD COLUMN "status" "FindingStatus" NOT NULL DEFAULT 'PASSING';
ALTER TABLE "kms_key_tag_value_counts" ALTER COLUMN "status" DROP DEFAULT;
ALTER TABLE "kms_key_tag_value_counts" DROP CONSTRAINT "kms_key_tag_value_counts_pkey",
  ADD CONSTRAINT "kms_key_tag_value_counts_pkey" PRIMARY KEY ("tag_key","tag_value","account_id","region","severity","status");

ALTER TABLE "kms_key_severity_counts" ADD COLUMN "status" "FindingStatus" NOT NULL DEFAULT 'PASSING';
ALTER TABLE "kms_key_severity_counts" ALTER COLUMN "status" DROP DEFAULT;
ALTER TABLE "kms_key_severity_counts" DROP CONSTRAINT "kms_key_severity_counts_pkey",
  ADD CONSTRAINT "kms_key_severity_counts_pkey" PRIMARY KEY ("severity","status");

CREATE FUNCTION kms_key_count_changes(
  d_account CHAR(12)[], d_region TEXT[], d_severity "Severity"[], d_status "FindingStatus"[], d_tags JSONB[], d_n INTEGER[]
) RETURNS TABLE (account_id CHAR(12), region TEXT, severity "Severity", status "FindingStatus", tag_key TEXT, tag_value TEXT, n INTEGER)
  LANGUAGE sql STABLE AS $$
    SELECT d.account_id, d.region, d.severity, d.status, t.tag_key, t.tag_value, d.n
    FROM unnest(d_account, d_region, d_severity, d_status, d_tags, d_n) AS d(account_id, region, severity, status, tags, n)
    CROSS JOIN LATERAL (
      SELECT NULL::text AS tag_key, NULL::text AS tag_value
      UNION ALL
      SELECT c.tag_key, c.tag_value FROM kms_key_count_tags(d.tags) c
    ) t
    WHERE EXISTS (SELECT 1 FROM aws_accounts a WHERE a.id = d.account_id)
  $$;

CREATE FUNCTION kms_key_counts_apply(
  d_account CHAR(12)[], d_region TEXT[], d_severity "Severity"[], d_status "FindingStatus"[], d_tags JSONB[], d_n INTEGER[]
) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  WITH d AS MATERIALIZED (
    SELECT * FROM kms_key_count_changes(d_account, d_region, d_severity, d_status, d_tags, d_n)
  ), keys AS (
    INSERT INTO kms_key_counts AS c (account_id, region, severity, status, count)
      SELECT d.account_id, d.region, d.severity, d.status, sum(d.n) FROM d WHERE d.tag_key IS NULL
      GROUP BY 1, 2, 3, 4 HAVING sum(d.n) <> 0 ORDER BY 1, 2, 3, 4
      ON CONFLICT (account_id, region, severity, status) DO UPDATE SET count = c.count + EXCLUDED.count
  ), tags AS (
    INSERT INTO kms_key_tag_counts AS c (tag_key, account_id, region, severity, status, count)
      SELECT d.tag_key, d.account_id, d.region, d.severity, d.status, sum(d.n) FROM d WHERE d.tag_key IS NOT NULL
      GROUP BY 1, 2, 3, 4, 5 HAVING sum(d.n) <> 0 ORDER BY 1, 2, 3, 4, 5
      ON CONFLICT (tag_key, account_id, region, severity, status) DO UPDATE SET count = c.count + EXCLUDED.count
  )
  INSERT INTO kms_key_tag_value_counts AS c (tag_key, tag_value, account_id, region, severity, status, count)
    SELECT d.tag_key, d.tag_value, d.account_id, d.region, d.severity, d.status, sum(d.n) FROM d WHERE d.tag_key IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(d.n) <> 0 ORDER BY 1, 2, 3, 4, 5, 6
    ON CONFLICT (tag_key, tag_value, account_id, region, severity, status) DO UPDATE SET count = c.count + EXCLUDED.count;

  IF EXISTS (SELECT 1 FROM unnest(d_n) AS n WHERE n < 0) THEN
    WITH d AS MATERIALIZED (
      SELECT * FROM kms_key_count_changes(d_account, d_region, d_severity, d_status, d_tags, d_n)
    ), keys AS (
      DELETE FROM kms_key_counts c USING d
      WHERE c.count = 0 AND d.tag_key IS NULL
        AND (c.account_id, c.region, c.severity, c.status) = (d.account_id, d.region, d.severity, d.status)
    ), tags AS (
      DELETE FROM kms_key_tag_counts c USING d
      WHERE c.count = 0 AND (c.tag_key, c.account_id, c.region, c.severity, c.status)
        = (d.tag_key, d.account_id, d.region, d.severity, d.status)
    )
    DELETE FROM kms_key_tag_value_counts c USING d
    WHERE c.count = 0 AND (c.tag_key, c.tag_value, c.account_id, c.region, c.severity, c.status)
      = (d.tag_key, d.tag_value, d.account_id, d.region, d.severity, d.status);
  END IF;
END
$$;

CREATE FUNCTION kms_key_counts_on_write() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  d_account CHAR(12)[]; d_region TEXT[]; d_severity "Severity"[]; d_status "FindingStatus"[]; d_tags JSONB[]; d_n INTEGER[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(account_id), array_agg(region), array_agg(severity), array_agg(status), array_agg(tags), array_agg(1)
      INTO d_account, d_region, d_severity, d_status, d_tags, d_n
      FROM new_keys WHERE gone_at IS NULL;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(account_id), array_agg(region), array_agg(severity), array_agg(status), array_agg(tags), array_agg(-1)
      INTO d_account, d_region, d_severity, d_status, d_tags, d_n
      FROM old_keys WHERE gone_at IS NULL;
  ELSE
    SELECT array_agg(account_id), array_agg(region), array_agg(severity), array_agg(status), array_agg(tags), array_agg(n)
      INTO d_account, d_region, d_severity, d_status, d_tags, d_n
      FROM (
        SELECT nk.account_id, nk.region, nk.severity, nk.status, nk.tags, 1 AS n FROM new_keys nk
        WHERE nk.gone_at IS NULL AND NOT EXISTS (
          SELECT 1 FROM old_keys ok WHERE ok.id = nk.id AND ok.gone_at IS NULL AND ok.account_id = nk.account_id
            AND ok.region = nk.region AND ok.severity = nk.severity AND ok.status = nk.status AND ok.tags = nk.tags)
        UNION ALL
        SELECT ok.account_id, ok.region, ok.severity, ok.status, ok.tags, -1 FROM old_keys ok
        WHERE ok.gone_at IS NULL AND NOT EXISTS (
          SELECT 1 FROM new_keys nk WHERE nk.id = ok.id AND nk.gone_at IS NULL AND nk.account_id = ok.account_id
            AND nk.region = ok.region AND nk.severity = ok.severity AND nk.status = ok.status AND nk.tags = ok.tags)
      ) changed;
  END IF;
  IF d_n IS NOT NULL THEN
    PERFORM kms_key_counts_apply(d_account, d_region, d_severity, d_status, d_tags, d_n);
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER "kms_keys_counts_insert" AFTER INSERT ON "kms_keys"
  REFERENCING NEW TABLE AS new_keys FOR EACH STATEMENT EXECUTE FUNCTION kms_key_counts_on_write();
CREATE TRIGGER "kms_keys_counts_update" AFTER UPDATE ON "kms_keys"
  REFERENCING OLD TABLE AS old_keys NEW TABLE AS new_keys FOR EACH STATEMENT EXECUTE FUNCTION kms_key_counts_on_write();
CREATE TRIGGER "kms_keys_counts_delete" AFTER DELETE ON "kms_keys"
  REFERENCING OLD TABLE AS old_keys FOR EACH STATEMENT EXECUTE FUNCTION kms_key_counts_on_write();

CREATE FUNCTION kms_key_severity_counts_on_write() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO kms_key_severity_counts AS t (severity, status, count)
      SELECT severity, status, sum(count) FROM new_counts GROUP BY 1, 2 HAVING sum(count) <> 0 ORDER BY 1, 2
      ON CONFLICT (severity, status) DO UPDATE SET count = t.count + EXCLUDED.count;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO kms_key_severity_counts AS t (severity, status, count)
      SELECT severity, status, sum(n) FROM (
        SELECT severity, status, count AS n FROM new_counts UNION ALL SELECT severity, status, -count FROM old_counts
      ) d GROUP BY 1, 2 HAVING sum(n) <> 0 ORDER BY 1, 2
      ON CONFLICT (severity, status) DO UPDATE SET count = t.count + EXCLUDED.count;
  ELSE
    INSERT INTO kms_key_severity_counts AS t (severity, status, count)
      SELECT severity, status, -sum(count) FROM old_counts GROUP BY 1, 2 HAVING sum(count) <> 0 ORDER BY 1, 2
      ON CONFLICT (severity, status) DO UPDATE SET count = t.count + EXCLUDED.count;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER "kms_key_counts_severity_insert" AFTER INSERT ON "kms_key_counts"
  REFERENCING NEW TABLE AS new_counts FOR EACH STATEMENT EXECUTE FUNCTION kms_key_severity_counts_on_write();
CREATE TRIGGER "kms_key_counts_severity_update" AFTER UPDATE ON "kms_key_counts"
  REFERENCING OLD TABLE AS old_counts NEW TABLE AS new_counts FOR EACH STATEMENT EXECUTE FUNCTION kms_key_severity_counts_on_write();
CREATE TRIGGER "kms_key_counts_severity_delete" AFTER DELETE ON "kms_key_counts"
  REFERENCING OLD TABLE AS old_counts FOR EACH STATEMENT EXECUTE FUNCTION kms_key_severity_counts_on_write();

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
  DELETE FROM kms_key_evaluations;
  INSERT INTO kms_key_evaluations (account_id, region, evaluated_at, count)
    SELECT account_id, region, evaluated_at, count(*) FROM kms_keys WHERE gone_at IS NULL GROUP BY 1, 2, 3;
  DELETE FROM scan_totals;
  INSERT INTO scan_totals (scan_id, severity, count)
    SELECT scan_id, severity, sum(count) FROM scan_summaries GROUP BY 1, 2;
$$;

SELECT insight_counts_rebuild();

-- 6. Sorting by the new columns (as the others: partial on live keys, the id last, the severity
-- included), and the overdue filter: open findings by due date.
CREATE INDEX "kms_keys_live_status_idx" ON "kms_keys"("status", "id") INCLUDE ("severity") WHERE "gone_at" IS NULL;
CREATE INDEX "kms_keys_live_first_failed_idx" ON "kms_keys"("first_failed_at", "id") INCLUDE ("severity") WHERE "gone_at" IS NULL;
CREATE INDEX "kms_keys_live_first_failed_desc_idx" ON "kms_keys"("first_failed_at" DESC NULLS LAST, "id" DESC) INCLUDE ("severity") WHERE "gone_at" IS NULL;
CREATE INDEX "kms_keys_live_due_idx" ON "kms_keys"("due_at", "id") INCLUDE ("severity") WHERE "gone_at" IS NULL;
CREATE INDEX "kms_keys_live_due_desc_idx" ON "kms_keys"("due_at" DESC NULLS LAST, "id" DESC) INCLUDE ("severity") WHERE "gone_at" IS NULL;
CREATE INDEX "kms_keys_open_due_idx" ON "kms_keys"("due_at") WHERE "gone_at" IS NULL AND "status" = 'OPEN';
