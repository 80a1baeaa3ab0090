-- The filter counts under a change filter ("resolved since a date": some 34,000 keys of a million)
-- counted the keys' tags by searching key_tags once per key, some 12,000 index descents and 52,000
-- buffers, 170 to 450 ms: past the counts' time limit. Each key now carries its tags as a sorted
-- list of ids (kms_keys.tag_ids) of (tag key, value) pairs in a dictionary (tag_pairs), and the
-- indexes that a change window is read from hold that list: the tag counts read the same range of
-- the same index as the other counts, and look the few thousand distinct ids up. See
-- docs/benchmarks.md, "bench:query".
--
-- The pairs are those the count tables count under (kms_key_count_tags, migration
-- 20261130140000): one per tag key, keys of at most 128 characters, values cut to 257. tag_ids is
-- '{}' for a key without tags and NULL for a key with more pairs than INCLUDE should carry (more
-- than 64; AWS allows 50 tags a key): the counts read that key's tags from key_tags, as before.
--
-- The dictionary only grows. It has no unique constraint on the pair: a scan job that adds a pair
-- never waits for another that adds the same one (a unique index would make it wait for that job's
-- commit, and two jobs that each hold a pair the other wants would deadlock). Two jobs adding the
-- same pair at the same instant may give it two ids; readers group by the pair's text, so a
-- count is the same, and a key takes the smallest id it sees.

SET LOCAL maintenance_work_mem = '256MB';

CREATE TABLE "tag_pairs" (
    "id" SERIAL NOT NULL,
    "tag_key" TEXT NOT NULL,
    "tag_value" TEXT NOT NULL,

    CONSTRAINT "tag_pairs_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "tag_pairs_tag_key_tag_value_id_idx" ON "tag_pairs"("tag_key", "tag_value", "id");

ALTER TABLE "kms_keys" ADD COLUMN "tag_ids" INTEGER[] DEFAULT ARRAY[]::INTEGER[];

-- The id of each pair of `tags` (its smallest), NULL for a pair not in the dictionary yet. One
-- index search a pair, whatever the dictionary's size.
CREATE FUNCTION kms_key_tag_pair_ids(tags jsonb) RETURNS TABLE (id integer) LANGUAGE sql STABLE AS $$
  SELECT (SELECT min(p.id) FROM tag_pairs p WHERE p.tag_key = c.tag_key AND p.tag_value = c.tag_value)
  FROM kms_key_count_tags(tags) c
$$;

-- The ids of the pairs of `tags`, sorted, adding the pairs not yet known; NULL past 64 pairs.
CREATE FUNCTION kms_key_tag_ids_of(tags jsonb) RETURNS integer[] LANGUAGE plpgsql AS $$
DECLARE
  ids integer[];
  pairs integer;
  known integer;
BEGIN
  SELECT coalesce(array_agg(x.id ORDER BY x.id), '{}'), count(*), count(x.id) INTO ids, pairs, known
    FROM kms_key_tag_pair_ids(tags) x;
  IF pairs > 64 THEN
    RETURN NULL;
  ELSIF known < pairs THEN
    INSERT INTO tag_pairs (tag_key, tag_value)
      SELECT c.tag_key, c.tag_value FROM kms_key_count_tags(tags) c
      WHERE (SELECT min(p.id) FROM tag_pairs p WHERE p.tag_key = c.tag_key AND p.tag_value = c.tag_value) IS NULL
      ORDER BY 1, 2;
    SELECT array_agg(x.id ORDER BY x.id) INTO ids FROM kms_key_tag_pair_ids(tags) x;
  END IF;
  RETURN ids;
END
$$;

CREATE FUNCTION kms_key_tag_ids() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.tag_ids := kms_key_tag_ids_of(NEW.tags);
  RETURN NEW;
END
$$;

-- The ids of every key with tags, from its tags (an untagged key keeps '{}'): for the keys that
-- exist now (and again in a test). The pairs not yet known are added once,
-- then each key takes the smallest id of each of its pairs.
CREATE FUNCTION kms_key_tag_ids_fill() RETURNS void LANGUAGE sql AS $$
  INSERT INTO tag_pairs (tag_key, tag_value)
    SELECT DISTINCT c.tag_key, c.tag_value FROM kms_keys k CROSS JOIN LATERAL kms_key_count_tags(k.tags) c
    WHERE NOT EXISTS (SELECT 1 FROM tag_pairs p WHERE p.tag_key = c.tag_key AND p.tag_value = c.tag_value)
    ORDER BY 1, 2;
  UPDATE kms_keys k SET tag_ids = t.ids
  FROM (
    SELECT k.id, CASE WHEN count(*) <= 64 THEN array_agg(p.id ORDER BY p.id) END AS ids
    FROM kms_keys k CROSS JOIN LATERAL kms_key_count_tags(k.tags) c
    JOIN (SELECT tag_key, tag_value, min(id) AS id FROM tag_pairs GROUP BY 1, 2) p
      ON p.tag_key = c.tag_key AND p.tag_value = c.tag_value
    GROUP BY k.id
  ) t
  WHERE k.id = t.id;
$$;

-- Migration 20261208100000's indexes of a change window's keys are built again below, holding
-- the ids too; without them the backfill has fewer indexes to write.
DROP INDEX "kms_keys_last_new_idx";
DROP INDEX "kms_keys_last_resolved_idx";
DROP INDEX "kms_keys_last_reopened_idx";

-- Nothing here changes a finding: the triggers that follow its changes stay out of the backfill.
ALTER TABLE "kms_keys" DISABLE TRIGGER "kms_keys_events_update";
ALTER TABLE "kms_keys" DISABLE TRIGGER "kms_keys_counts_update";
ALTER TABLE "kms_keys" DISABLE TRIGGER "kms_keys_open_days_update";
ALTER TABLE "kms_keys" DISABLE TRIGGER "kms_keys_evaluations_update";
SELECT kms_key_tag_ids_fill();
ALTER TABLE "kms_keys" ENABLE TRIGGER "kms_keys_events_update";
ALTER TABLE "kms_keys" ENABLE TRIGGER "kms_keys_counts_update";
ALTER TABLE "kms_keys" ENABLE TRIGGER "kms_keys_open_days_update";
ALTER TABLE "kms_keys" ENABLE TRIGGER "kms_keys_evaluations_update";

-- Whoever writes a key's tags (the collector, tests, the benchmarks' estate), its ids follow; a
-- rescan that rewrites the same tags does not call the function.
CREATE TRIGGER "kms_keys_tag_ids_insert" BEFORE INSERT ON "kms_keys"
  FOR EACH ROW EXECUTE FUNCTION kms_key_tag_ids();
CREATE TRIGGER "kms_keys_tag_ids_update" BEFORE UPDATE OF "tags" ON "kms_keys"
  FOR EACH ROW WHEN (OLD.tags IS DISTINCT FROM NEW.tags) EXECUTE FUNCTION kms_key_tag_ids();

-- The indexes of a change window's keys, holding their tags' ids too.
CREATE INDEX "kms_keys_last_new_idx" ON "kms_keys"("last_new_at")
  INCLUDE ("id", "gone_at", "severity", "status", "account_id", "region", "key_id", "due_at", "tag_ids")
  WHERE "last_new_at" IS NOT NULL;
CREATE INDEX "kms_keys_last_resolved_idx" ON "kms_keys"("last_resolved_at")
  INCLUDE ("id", "gone_at", "severity", "status", "account_id", "region", "key_id", "due_at", "tag_ids")
  WHERE "last_resolved_at" IS NOT NULL;
CREATE INDEX "kms_keys_last_reopened_idx" ON "kms_keys"("last_reopened_at")
  INCLUDE ("id", "gone_at", "severity", "status", "account_id", "region", "key_id", "due_at", "tag_ids")
  WHERE "last_reopened_at" IS NOT NULL;
