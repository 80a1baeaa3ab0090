-- The end of a scan job in one round trip (lib/collector/run-target.ts): the keys it did not see
-- marked gone, the account-region's state, the scan's summary and delta for it, and the target's
-- outcome. These steps read each other's results (the summary counts the events and counts that
-- marking keys gone changes, through the triggers on kms_keys), so they are statements of one
-- function rather than one statement; they commit together. The scan's completion check stays a
-- statement of its own after the commit (lib/collector/scan.ts finalizeScan), so that the last
-- target's job sees every other job's committed outcome.

-- After a complete listing: keys not seen in this scan are gone (kept, with the date); their
-- findings are resolved as deleted, an event of this scan (insights.scan_id, read by the events
-- trigger, as in lib/collector/write-keys.ts). Returns how many keys went.
CREATE FUNCTION mark_gone_keys(p_scan_id text, p_account_id bpchar, p_region text) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  gone integer;
BEGIN
  PERFORM set_config('insights.scan_id', p_scan_id, true);
  UPDATE kms_keys SET gone_at = now(), exception_id = NULL
  WHERE account_id = p_account_id AND region = p_region AND gone_at IS NULL
    AND last_scan_id IS DISTINCT FROM p_scan_id;
  GET DIAGNOSTICS gone = ROW_COUNT;
  RETURN gone;
END $$;

-- What a scan leaves for one account-region, from the keys as they are now: the counts the trend
-- chart reads (its rows of kms_key_counts, excepted findings left out as everywhere the failing
-- figures are shown), and the scan's delta, counted from the events its writes recorded (still
-- failing: the failing findings that are not new or reopened in this scan). The summary goes last:
-- its trigger updates the scan's totals, rows every job of the scan updates, so their lock is
-- held only until the commit right after it.
CREATE FUNCTION record_scan_summary(p_scan_id text, p_account_id bpchar, p_region text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO scan_deltas (scan_id, account_id, region, new, resolved, reopened, still_failing)
  SELECT p_scan_id, p_account_id, p_region, e.new, e.resolved, e.reopened,
    greatest(0, coalesce(f.failing, 0) - e.new - e.reopened)
  FROM (
    SELECT count(*) FILTER (WHERE kind = 'NEW')::int AS new,
           count(*) FILTER (WHERE kind = 'RESOLVED')::int AS resolved,
           count(*) FILTER (WHERE kind = 'REOPENED')::int AS reopened
    FROM finding_events WHERE scan_id = p_scan_id AND account_id = p_account_id AND region = p_region
  ) e, (
    SELECT sum(count)::int AS failing FROM kms_key_counts
    WHERE account_id = p_account_id AND region = p_region AND status IN ('OPEN', 'EXCEPTED')
  ) f
  ON CONFLICT (scan_id, account_id, region) DO UPDATE SET new = EXCLUDED.new,
    resolved = EXCLUDED.resolved, reopened = EXCLUDED.reopened, still_failing = EXCLUDED.still_failing;

  INSERT INTO scan_summaries (scan_id, account_id, region, severity, count)
  SELECT p_scan_id, account_id, region, severity, sum(count)
  FROM kms_key_counts WHERE account_id = p_account_id AND region = p_region AND count > 0
    AND status <> 'EXCEPTED'
  GROUP BY account_id, region, severity
  ON CONFLICT (scan_id, account_id, region, severity) DO UPDATE SET count = EXCLUDED.count;
END $$;

-- A job's outcome. Succeeded (a complete listing, its keys written): the keys it did not see are
-- gone and the account-region is fresh, with its key count. Failed: the account-region is stale
-- with the failing call, AWS's code and the message; its keys, last success and key count are
-- kept. An account removed meanwhile took its target, keys and region states with it: nothing is
-- recorded for it (the target's update then finds no row). The summary goes last, as in
-- record_scan_summary: the scan's totals stay locked only until the commit.
CREATE FUNCTION finish_scan_target(
  p_target_id text, p_scan_id text, p_account_id bpchar, p_region text,
  p_succeeded boolean, p_error text, p_error_call text, p_error_code text, p_attempt_at timestamptz,
  p_keys_seen integer, p_key_errors integer, p_calls integer, p_finished_at timestamptz, p_duration_ms integer
) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE scan_targets SET
    status = (CASE WHEN p_succeeded THEN 'SUCCEEDED' ELSE 'FAILED' END)::"ScanStatus",
    error = p_error, keys_seen = p_keys_seen, key_errors = p_key_errors, calls_made = p_calls,
    finished_at = p_finished_at, duration_ms = p_duration_ms
  WHERE id = p_target_id;
  IF EXISTS (SELECT 1 FROM aws_accounts WHERE id = p_account_id) THEN
    IF p_succeeded THEN
      PERFORM mark_gone_keys(p_scan_id, p_account_id, p_region);
      INSERT INTO account_region_states AS s (account_id, region, stale, last_error, last_error_call,
        last_error_code, last_attempt_at, last_success_at, key_count, last_scan_id)
      VALUES (p_account_id, p_region, false, NULL, NULL, NULL, p_attempt_at, p_attempt_at, p_keys_seen, p_scan_id)
      ON CONFLICT (account_id, region) DO UPDATE SET stale = false, last_error = NULL,
        last_error_call = NULL, last_error_code = NULL, last_attempt_at = EXCLUDED.last_attempt_at,
        last_success_at = EXCLUDED.last_success_at, key_count = EXCLUDED.key_count,
        last_scan_id = EXCLUDED.last_scan_id;
    ELSE
      INSERT INTO account_region_states AS s (account_id, region, stale, last_error, last_error_call,
        last_error_code, last_attempt_at, last_scan_id)
      VALUES (p_account_id, p_region, true, p_error, p_error_call, p_error_code, p_attempt_at, p_scan_id)
      ON CONFLICT (account_id, region) DO UPDATE SET stale = true, last_error = EXCLUDED.last_error,
        last_error_call = EXCLUDED.last_error_call, last_error_code = EXCLUDED.last_error_code,
        last_attempt_at = EXCLUDED.last_attempt_at, last_scan_id = EXCLUDED.last_scan_id;
    END IF;
    PERFORM record_scan_summary(p_scan_id, p_account_id, p_region);
  END IF;
END $$;
