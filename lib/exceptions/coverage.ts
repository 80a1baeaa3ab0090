// Which exception covers a key: the one rule, written once, that the collector's batches
// (lib/collector/write-keys.ts), re-evaluation (lib/verdict/reevaluate.ts), an exception coming
// into force and one ending (./apply.ts) all use. A failing key keeps in kms_keys.exception_id the
// exception in force that covers it with the latest expiry, and the lifecycle trigger (migration
// 20261203100000) makes it EXCEPTED; a passing key keeps none (an exception is for a failing
// finding: the writer that sees a key start failing looks for one). Only SQL text built from this file's constants: the values travel as parameters.

/** The columns of a key, as SQL expressions, that an exception's scope looks at. */
export interface KeyColumns {
  arn: string;
  account: string;
  region: string;
  /** kms_keys.tags: [{ "key": …, "value": … }]. */
  tags: string;
  aliases: string;
}

/** The severities of a failing finding, the only ones an exception applies to. */
export const FAILING = "('CRITICAL', 'WARNING')";

/** The key columns of `kms_keys k`. */
export const KMS_KEY: KeyColumns = {
  arn: "k.arn",
  account: "k.account_id",
  region: "k.region",
  tags: "k.tags",
  aliases: "k.aliases",
};

/** Exception `x` is in force at `now` (an SQL expression). */
export function inForceSql(x: string, now: string): string {
  return `(${x}.approved_at IS NOT NULL AND ${x}.revoked_at IS NULL AND ${x}.superseded_at IS NULL
    AND ${x}.expires_at > ${now})`;
}

/** Exception `x`'s accounts and regions admit the account and region (SQL expressions). */
export function placeSql(x: string, account: string, region: string): string {
  return `((cardinality(${x}.accounts) = 0 OR ${account} = ANY(${x}.accounts))
    AND (cardinality(${x}.regions) = 0 OR ${region} = ANY(${x}.regions)))`;
}

/**
 * Exception `x`'s scope covers the key: its keys (when it lists keys), its accounts, regions, tag
 * key with one of its values (any value when none is listed) and alias prefix, each when set.
 */
export function coversSql(x: string, key: KeyColumns): string {
  const tags = `CASE WHEN jsonb_typeof(${key.tags}) = 'array' THEN ${key.tags} ELSE '[]'::jsonb END`;
  return `((cardinality(${x}.key_arns) = 0 OR ${key.arn} = ANY(${x}.key_arns))
    AND ${placeSql(x, key.account, key.region)}
    AND (${x}.tag_key IS NULL OR EXISTS (
      SELECT 1 FROM jsonb_array_elements(${tags}) t
      WHERE t ->> 'key' = ${x}.tag_key
        AND (cardinality(${x}.tag_values) = 0 OR coalesce(t ->> 'value', '') = ANY(${x}.tag_values))))
    AND (${x}.alias_prefix IS NULL OR EXISTS (
      SELECT 1 FROM unnest(${key.aliases}) a WHERE starts_with(a, ${x}.alias_prefix))))`;
}

/**
 * The id of the exception among `candidates` (a table or CTE with the exceptions' columns, already
 * in force) that covers the key and expires last: a scalar subquery.
 */
export function coveringSql(candidates: string, key: KeyColumns, extra = "TRUE"): string {
  // A subquery per key: the callers give candidates already narrowed to the key's account-region.
  return `(SELECT x.id FROM ${candidates} x WHERE ${coversSql("x", key)} AND ${extra}
    ORDER BY x.expires_at DESC, x.id LIMIT 1)`;
}
