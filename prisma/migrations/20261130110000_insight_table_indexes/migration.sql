-- Indexes for the insight table (lib/insights/sql.ts), which reads live keys only (gone_at IS NULL).
-- Partial and expression indexes cannot be written in schema.prisma; the plain one is mirrored there.

-- The default order (severity rank, account, region, key id, id): a page of it, at any offset, is an
-- index-only scan; so are the key ids that a page joins back to.
CREATE INDEX "kms_keys_live_order_idx" ON "kms_keys"("severity", "account_id", "region", "key_id", "id")
  WHERE "gone_at" IS NULL;

-- Counts by severity, account and region. Deduplicated, it stays a few MB at a million keys.
CREATE INDEX "kms_keys_live_filter_idx" ON "kms_keys"("severity", "account_id", "region")
  WHERE "gone_at" IS NULL;

-- The tag filter finds the keys of a tag key (and values) without reading key_tags' heap.
DROP INDEX "key_tags_tag_key_tag_value_idx";
CREATE INDEX "key_tags_tag_key_tag_value_kms_key_id_idx" ON "key_tags"("tag_key", "tag_value", "kms_key_id");

-- The text the search (q) matches: key id, ARN and aliases, lower-cased. array_to_string is only
-- STABLE in general, but for text[] its result depends on nothing but the input, so IMMUTABLE holds
-- and the expression can be indexed.
CREATE FUNCTION insight_search_text(key_id text, arn text, aliases text[]) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT lower($1 || ' ' || $2 || ' ' || coalesce(array_to_string($3, ' '), '')) $$;

-- A trigram index makes a substring search an index lookup. pg_trgm ships with PostgreSQL's contrib
-- and the embedded server; where an external server lacks it, search still works, by a full scan.
DO $$
BEGIN
  CREATE EXTENSION IF NOT EXISTS pg_trgm;
EXCEPTION WHEN OTHERS THEN
  RAISE NOTICE 'pg_trgm is not available (%): key search will not be indexed', SQLERRM;
END
$$;

DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
    CREATE INDEX "kms_keys_search_trgm_idx" ON "kms_keys"
      USING gin (insight_search_text("key_id", "arn", "aliases") gin_trgm_ops) WHERE "gone_at" IS NULL;
  END IF;
END
$$;
