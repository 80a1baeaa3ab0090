-- The search (q) reads a stored copy of the text it matches: a generated column of
-- insight_search_text (migration 20261204100000: id, ARN, aliases, description and tag values, in
-- lower case), kept by PostgreSQL on every write of those columns, and the trigram index on it in
-- place of the index on the expression. Same text, same matches. Each key the index proposes is
-- then checked by a plain LIKE on the stored text (about 0.3 µs) instead of a call of the PL/pgSQL
-- function (about 5.5 µs: 340 ms of a common word's 61,000 candidates at a million keys), and the
-- column's statistics let the planner estimate how many keys a word matches (it guessed 84 for
-- 47,153). See docs/benchmarks.md, "Facets and search at a million keys, round 2".
--
-- Adding the column rewrites the table and its indexes once (6.5 minutes at a million keys on a
-- loaded 2-vCPU machine); the rewritten table has no visibility map until autovacuum runs.

SET LOCAL maintenance_work_mem = '256MB';

ALTER TABLE "kms_keys" ADD COLUMN "search_text" TEXT
  GENERATED ALWAYS AS (insight_search_text("key_id", "arn", "aliases", "description", "tags")) STORED;

DROP INDEX IF EXISTS "kms_keys_search_trgm_idx";

-- Without pg_trgm (see migration 20261130110000) the search still works, by a full scan.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
    CREATE INDEX "kms_keys_search_trgm_idx" ON "kms_keys" USING gin ("search_text" gin_trgm_ops)
      WHERE "gone_at" IS NULL;
  END IF;
END
$$;

ANALYZE "kms_keys" ("search_text");
