-- Migration 20261210100000's list of a key's tag pair ids, in one statement. When a key had a pair
-- not yet known (in a first scan, most keys whose tags name a person, a ticket or a cost centre),
-- it read the key's tags and looked their pairs up three times: to find the unknown ones, to add
-- them, and to read every id again. Now each pair is looked up once, the unknown ones are added by
-- the same statement (which returns their ids), and the list is made from both. As before, a key
-- with more than 64 pairs gets NULL and adds none, and two scans that add the same pair at once
-- may give it two ids (the counts group by its text).
CREATE OR REPLACE FUNCTION kms_key_tag_ids_of(tags jsonb) RETURNS integer[] LANGUAGE plpgsql AS $$
DECLARE
  ids integer[];
BEGIN
  WITH pairs AS MATERIALIZED (
    SELECT c.tag_key, c.tag_value,
      (SELECT min(p.id) FROM tag_pairs p WHERE p.tag_key = c.tag_key AND p.tag_value = c.tag_value) AS id
    FROM kms_key_count_tags(tags) c
  ), added AS (
    INSERT INTO tag_pairs (tag_key, tag_value)
      SELECT tag_key, tag_value FROM pairs WHERE id IS NULL AND (SELECT count(*) FROM pairs) <= 64
      ORDER BY 1, 2
      RETURNING id
  )
  SELECT CASE WHEN (SELECT count(*) FROM pairs) <= 64 THEN coalesce(array_agg(x.id ORDER BY x.id), '{}') END
    INTO ids
    FROM (SELECT id FROM pairs WHERE id IS NOT NULL UNION ALL SELECT id FROM added) x;
  RETURN ids;
END
$$;
