-- The change filter ("new, resolved or reopened since a scan or a date") reads the key's own row:
-- each key carries the instant of its last event of each of those kinds (last_new_at,
-- last_resolved_at, last_reopened_at), and "resolved since T" is `last_resolved_at > T`, exactly
-- what "a RESOLVED event after T" means, since an event after T exists when the last one is after T.
-- Indexes on each instant that hold what the table's totals, first page and filter counts read make
-- a change window one range of an index instead of ~34,000 keys read by id at random (a million
-- keys). See docs/benchmarks.md, "The change window".
--
-- The lifecycle trigger sets them as it sets the status, dated as the events trigger dates the
-- event it records for the same change (the scan's start, or the transaction's); the existing keys
-- take them from their events.

SET LOCAL maintenance_work_mem = '256MB';

ALTER TABLE "kms_keys"
    ADD COLUMN "last_new_at" TIMESTAMPTZ(3),
    ADD COLUMN "last_resolved_at" TIMESTAMPTZ(3),
    ADD COLUMN "last_reopened_at" TIMESTAMPTZ(3);

-- The instants of every key from its events: for the keys that exist now, and for the benchmarks'
-- generated history, which writes its events itself.
CREATE FUNCTION kms_key_change_instants_fill() RETURNS void LANGUAGE sql AS $$
  UPDATE kms_keys k SET last_new_at = e.new_at, last_resolved_at = e.resolved_at, last_reopened_at = e.reopened_at
  FROM (
    SELECT kms_key_id,
      max(at) FILTER (WHERE kind = 'NEW') AS new_at,
      max(at) FILTER (WHERE kind = 'RESOLVED') AS resolved_at,
      max(at) FILTER (WHERE kind = 'REOPENED') AS reopened_at
    FROM finding_events WHERE kind IN ('NEW', 'RESOLVED', 'REOPENED') GROUP BY kms_key_id
  ) e
  WHERE k.id = e.kms_key_id;
$$;

-- Nothing here changes a finding: the triggers that follow its changes (events, count tables,
-- ages) stay out of the backfill.
ALTER TABLE "kms_keys" DISABLE TRIGGER "kms_keys_events_update";
ALTER TABLE "kms_keys" DISABLE TRIGGER "kms_keys_counts_update";
ALTER TABLE "kms_keys" DISABLE TRIGGER "kms_keys_open_days_update";
ALTER TABLE "kms_keys" DISABLE TRIGGER "kms_keys_evaluations_update";
SELECT kms_key_change_instants_fill();
ALTER TABLE "kms_keys" ENABLE TRIGGER "kms_keys_events_update";
ALTER TABLE "kms_keys" ENABLE TRIGGER "kms_keys_counts_update";
ALTER TABLE "kms_keys" ENABLE TRIGGER "kms_keys_open_days_update";
ALTER TABLE "kms_keys" ENABLE TRIGGER "kms_keys_evaluations_update";

-- The function of migration 20261203100000, which also dates the change it makes: the kinds and
-- the instant are those finding_events_on_write (migration 20261203140000) records for it.
CREATE OR REPLACE FUNCTION kms_key_lifecycle() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  failing boolean := NEW.gone_at IS NULL AND NEW.severity IN ('CRITICAL', 'WARNING');
  was_failing boolean := TG_OP = 'UPDATE' AND OLD.status IN ('OPEN', 'EXCEPTED');
  at timestamptz := CASE WHEN TG_OP = 'INSERT' OR NEW.evaluated_at IS DISTINCT FROM OLD.evaluated_at
                         THEN NEW.evaluated_at ELSE now() END;
  old_status "FindingStatus" := CASE WHEN TG_OP = 'UPDATE' THEN OLD.status END;
  scan text;
  event_at timestamptz;
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
  -- A new, resolved or reopened finding: its event's instant (a scan's writes are dated at its start).
  IF (NEW.status IN ('OPEN', 'EXCEPTED') AND (old_status IS NULL OR old_status IN ('PASSING', 'RESOLVED')))
     OR (NEW.status = 'RESOLVED' AND old_status IN ('OPEN', 'EXCEPTED')) THEN
    scan := nullif(current_setting('insights.scan_id', true), '');
    IF scan IS NOT NULL THEN
      SELECT s.started_at INTO event_at FROM scans s WHERE s.id = scan;
    END IF;
    event_at := coalesce(event_at, now());
    IF NEW.status = 'RESOLVED' THEN
      NEW.last_resolved_at := event_at;
    ELSIF old_status = 'RESOLVED' THEN
      NEW.last_reopened_at := event_at;
    ELSE
      NEW.last_new_at := event_at;
    END IF;
  END IF;
  RETURN NEW;
END
$$;

-- A change window's keys, live or gone, in one range: what the totals, the default order's first
-- page and the filter counts read, so that none of them visits the table.
CREATE INDEX "kms_keys_last_new_idx" ON "kms_keys"("last_new_at")
  INCLUDE ("id", "gone_at", "severity", "status", "account_id", "region", "key_id", "due_at")
  WHERE "last_new_at" IS NOT NULL;
CREATE INDEX "kms_keys_last_resolved_idx" ON "kms_keys"("last_resolved_at")
  INCLUDE ("id", "gone_at", "severity", "status", "account_id", "region", "key_id", "due_at")
  WHERE "last_resolved_at" IS NOT NULL;
CREATE INDEX "kms_keys_last_reopened_idx" ON "kms_keys"("last_reopened_at")
  INCLUDE ("id", "gone_at", "severity", "status", "account_id", "region", "key_id", "due_at")
  WHERE "last_reopened_at" IS NOT NULL;
