-- The search (q) matches the key's description and its tag values too, besides its id, ARN and
-- aliases: a new text function over those five columns, and the trigram index on it in place of the
-- old one (migration 20261130110000).
--
-- PL/pgSQL for the reason migration 20261130140000 gives (never inlined, so a LANGUAGE sql body
-- would go through the SQL function executor for each key the index proposes). The tag values are
-- read by position rather than by a query over jsonb_array_elements: a plain expression, not a
-- statement run for each call. Same arguments, same result: IMMUTABLE holds and the index stays valid.
CREATE FUNCTION insight_search_text(key_id text, arn text, aliases text[], description text, tags jsonb)
  RETURNS text LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
  AS $$
DECLARE
  result text := key_id || ' ' || arn || ' ' || coalesce(array_to_string(aliases, ' '), '')
    || ' ' || coalesce(description, '');
BEGIN
  IF jsonb_typeof(tags) = 'array' THEN
    FOR i IN 0 .. jsonb_array_length(tags) - 1 LOOP
      result := result || ' ' || coalesce(tags -> i ->> 'value', '');
    END LOOP;
  END IF;
  RETURN lower(result);
END
$$;

DROP INDEX IF EXISTS "kms_keys_search_trgm_idx";
DROP FUNCTION insight_search_text(text, text, text[]);

-- Without pg_trgm (an external server that lacks it: see migration 20261130110000) search still
-- works, by a full scan.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
    CREATE INDEX "kms_keys_search_trgm_idx" ON "kms_keys"
      USING gin (insight_search_text("key_id", "arn", "aliases", "description", "tags") gin_trgm_ops)
      WHERE "gone_at" IS NULL;
  END IF;
END
$$;
