-- The scans page lists, per account-region of a scan, the keys it read with errors
-- (lib/scans/key-errors.ts). Few keys have errors: a partial index keeps that read small at any
-- number of keys.
CREATE INDEX kms_keys_key_errors_idx ON kms_keys (last_scan_id, account_id, region, key_id)
  WHERE collect_error IS NOT NULL;
