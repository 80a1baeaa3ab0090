-- Counts kept by the database itself, and an index per sortable column of the insight table.
-- See docs/benchmarks.md (bench:query, bench:overview) for the measurements behind both.

-- The index builds below sort up to a million keys each.
SET LOCAL maintenance_work_mem = '256MB';

-- 1. Current counts. The overview and the insight table's totals read these few thousand rows
-- instead of counting up to a million keys. Triggers on kms_keys keep them exact at every commit,
-- whoever writes (the collector's batches, markGoneKeys, re-evaluation, account removal, tests):
-- each statement adds the counts of the rows it made live and subtracts those it changed or
-- removed; a statement that changes no count (a scan rewriting the same findings) writes nothing.
-- Tag counts follow kms_keys.tags, the copy the collector writes with key_tags: each tag key once
-- per key (a key listing a tag key twice, which AWS never does, counts under the smallest value,
-- the one key_tags keeps).

CREATE TABLE "kms_key_counts" (
    "account_id" CHAR(12) NOT NULL,
    "region" TEXT NOT NULL,
    "severity" "Severity" NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "kms_key_counts_pkey" PRIMARY KEY ("account_id","region","severity")
);

CREATE TABLE "kms_key_tag_counts" (
    "tag_key" TEXT NOT NULL,
    "account_id" CHAR(12) NOT NULL,
    "region" TEXT NOT NULL,
    "severity" "Severity" NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "kms_key_tag_counts_pkey" PRIMARY KEY ("tag_key","account_id","region","severity")
);

CREATE TABLE "kms_key_tag_value_counts" (
    "tag_key" TEXT NOT NULL,
    "tag_value" TEXT NOT NULL,
    "account_id" CHAR(12) NOT NULL,
    "region" TEXT NOT NULL,
    "severity" "Severity" NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "kms_key_tag_value_counts_pkey" PRIMARY KEY ("tag_key","tag_value","account_id","region","severity")
);

-- Live keys per severity: the totals of the unfiltered views and the severity filter. Kept from
-- kms_key_counts (a trigger below), so that an account's removal, which deletes its counts, counts.
CREATE TABLE "kms_key_severity_counts" (
    "severity" "Severity" NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "kms_key_severity_counts_pkey" PRIMARY KEY ("severity")
);

-- The default order of the insight table begins with (severity, account, region): this index lists
-- the counts in that order, for the jump to a deep page (lib/insights/sql.ts).
CREATE INDEX "kms_key_counts_severity_account_id_region_idx" ON "kms_key_counts"("severity", "account_id", "region") INCLUDE ("count");
CREATE INDEX "kms_key_tag_counts_account_id_idx" ON "kms_key_tag_counts"("account_id");
CREATE INDEX "kms_key_tag_value_counts_account_id_idx" ON "kms_key_tag_value_counts"("account_id");

-- Removing an account removes its counts (the keys' triggers skip accounts that no longer exist).
ALTER TABLE "kms_key_counts" ADD CONSTRAINT "kms_key_counts_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "aws_accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "kms_key_tag_counts" ADD CONSTRAINT "kms_key_tag_counts_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "aws_accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "kms_key_tag_value_counts" ADD CONSTRAINT "kms_key_tag_value_counts_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "aws_accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The tags a row counts under: (key, value) pairs of kms_keys.tags as the collector stores them
-- ([{"key": …, "value": …}], a missing value is ""), one per tag key (the smallest value, as the
-- collector keeps in key_tags). Only tag keys a filter can ask for (AWS's limit, 128 characters);
-- a value longer than a filter can ask for (256) counts under its first 257 characters, which no
-- filter value equals: it counts for its tag key, never for a value, and the index stays small.
CREATE FUNCTION kms_key_count_tags(tags jsonb) RETURNS TABLE (tag_key text, tag_value text)
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT DISTINCT ON (t.tag_key) t.tag_key, left(t.tag_value, 257)
    FROM (
      SELECT e ->> 'key' AS tag_key, coalesce(e ->> 'value', '') AS tag_value
      FROM jsonb_array_elements(CASE WHEN jsonb_typeof(tags) = 'array' THEN tags ELSE '[]' END) e
      WHERE jsonb_typeof(e) = 'object'
    ) t
    WHERE t.tag_key IS NOT NULL AND length(t.tag_key) <= 128
    ORDER BY t.tag_key, t.tag_value
  $$;

-- The count changes of keys given as arrays (n is +1 or -1 per key): one row for the key itself
-- (tag_key NULL), one per tag it counts under. Keys of an account being removed are left out:
-- its keys go after it, and so do its counts (the foreign keys above).
CREATE FUNCTION kms_key_count_changes(
  d_account CHAR(12)[], d_region TEXT[], d_severity "Severity"[], d_tags JSONB[], d_n INTEGER[]
) RETURNS TABLE (account_id CHAR(12), region TEXT, severity "Severity", tag_key TEXT, tag_value TEXT, n INTEGER)
  LANGUAGE sql STABLE AS $$
    SELECT d.account_id, d.region, d.severity, t.tag_key, t.tag_value, d.n
    FROM unnest(d_account, d_region, d_severity, d_tags, d_n) AS d(account_id, region, severity, tags, n)
    CROSS JOIN LATERAL (
      SELECT NULL::text AS tag_key, NULL::text AS tag_value
      UNION ALL
      SELECT c.tag_key, c.tag_value FROM kms_key_count_tags(d.tags) c
    ) t
    WHERE EXISTS (SELECT 1 FROM aws_accounts a WHERE a.id = d.account_id)
  $$;

-- Adds the changes to the three count tables, each in primary key order (concurrent writers take
-- the rows' locks in one order); counts that reach 0 are removed.
CREATE FUNCTION kms_key_counts_apply(
  d_account CHAR(12)[], d_region TEXT[], d_severity "Severity"[], d_tags JSONB[], d_n INTEGER[]
) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  WITH d AS MATERIALIZED (
    SELECT * FROM kms_key_count_changes(d_account, d_region, d_severity, d_tags, d_n)
  ), keys AS (
    INSERT INTO kms_key_counts AS c (account_id, region, severity, count)
      SELECT d.account_id, d.region, d.severity, sum(d.n) FROM d WHERE d.tag_key IS NULL
      GROUP BY 1, 2, 3 HAVING sum(d.n) <> 0 ORDER BY 1, 2, 3
      ON CONFLICT (account_id, region, severity) DO UPDATE SET count = c.count + EXCLUDED.count
  ), tags AS (
    INSERT INTO kms_key_tag_counts AS c (tag_key, account_id, region, severity, count)
      SELECT d.tag_key, d.account_id, d.region, d.severity, sum(d.n) FROM d WHERE d.tag_key IS NOT NULL
      GROUP BY 1, 2, 3, 4 HAVING sum(d.n) <> 0 ORDER BY 1, 2, 3, 4
      ON CONFLICT (tag_key, account_id, region, severity) DO UPDATE SET count = c.count + EXCLUDED.count
  )
  INSERT INTO kms_key_tag_value_counts AS c (tag_key, tag_value, account_id, region, severity, count)
    SELECT d.tag_key, d.tag_value, d.account_id, d.region, d.severity, sum(d.n) FROM d WHERE d.tag_key IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5 HAVING sum(d.n) <> 0 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (tag_key, tag_value, account_id, region, severity) DO UPDATE SET count = c.count + EXCLUDED.count;

  IF EXISTS (SELECT 1 FROM unnest(d_n) AS n WHERE n < 0) THEN
    WITH d AS MATERIALIZED (
      SELECT * FROM kms_key_count_changes(d_account, d_region, d_severity, d_tags, d_n)
    ), keys AS (
      DELETE FROM kms_key_counts c USING d
      WHERE c.count = 0 AND d.tag_key IS NULL
        AND (c.account_id, c.region, c.severity) = (d.account_id, d.region, d.severity)
    ), tags AS (
      DELETE FROM kms_key_tag_counts c USING d
      WHERE c.count = 0 AND (c.tag_key, c.account_id, c.region, c.severity) = (d.tag_key, d.account_id, d.region, d.severity)
    )
    DELETE FROM kms_key_tag_value_counts c USING d
    WHERE c.count = 0 AND (c.tag_key, c.tag_value, c.account_id, c.region, c.severity)
      = (d.tag_key, d.tag_value, d.account_id, d.region, d.severity);
  END IF;
END
$$;

-- Statement triggers with transition tables: one call per statement, whatever its size. An
-- update counts only the rows whose account, region, severity, liveness or tags changed.
CREATE FUNCTION kms_key_counts_on_write() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  d_account CHAR(12)[]; d_region TEXT[]; d_severity "Severity"[]; d_tags JSONB[]; d_n INTEGER[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(account_id), array_agg(region), array_agg(severity), array_agg(tags), array_agg(1)
      INTO d_account, d_region, d_severity, d_tags, d_n
      FROM new_keys WHERE gone_at IS NULL;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(account_id), array_agg(region), array_agg(severity), array_agg(tags), array_agg(-1)
      INTO d_account, d_region, d_severity, d_tags, d_n
      FROM old_keys WHERE gone_at IS NULL;
  ELSE
    SELECT array_agg(account_id), array_agg(region), array_agg(severity), array_agg(tags), array_agg(n)
      INTO d_account, d_region, d_severity, d_tags, d_n
      FROM (
        SELECT nk.account_id, nk.region, nk.severity, nk.tags, 1 AS n FROM new_keys nk
        WHERE nk.gone_at IS NULL AND NOT EXISTS (
          SELECT 1 FROM old_keys ok WHERE ok.id = nk.id AND ok.gone_at IS NULL AND ok.account_id = nk.account_id
            AND ok.region = nk.region AND ok.severity = nk.severity AND ok.tags = nk.tags)
        UNION ALL
        SELECT ok.account_id, ok.region, ok.severity, ok.tags, -1 FROM old_keys ok
        WHERE ok.gone_at IS NULL AND NOT EXISTS (
          SELECT 1 FROM new_keys nk WHERE nk.id = ok.id AND nk.gone_at IS NULL AND nk.account_id = ok.account_id
            AND nk.region = ok.region AND nk.severity = ok.severity AND nk.tags = ok.tags)
      ) changed;
  END IF;
  IF d_n IS NOT NULL THEN
    PERFORM kms_key_counts_apply(d_account, d_region, d_severity, d_tags, d_n);
  END IF;
  RETURN NULL;
END
$$;

CREATE FUNCTION kms_key_counts_on_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM kms_key_tag_value_counts;
  DELETE FROM kms_key_tag_counts;
  DELETE FROM kms_key_counts;
  DELETE FROM kms_key_severity_counts;
  DELETE FROM kms_key_evaluations;
  RETURN NULL;
END
$$;

CREATE FUNCTION kms_key_severity_counts_on_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM kms_key_severity_counts;
  RETURN NULL;
END
$$;

CREATE FUNCTION kms_key_severity_counts_on_write() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO kms_key_severity_counts AS t (severity, count)
      SELECT severity, sum(count) FROM new_counts GROUP BY 1 HAVING sum(count) <> 0 ORDER BY 1
      ON CONFLICT (severity) DO UPDATE SET count = t.count + EXCLUDED.count;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO kms_key_severity_counts AS t (severity, count)
      SELECT severity, sum(n) FROM (
        SELECT severity, count AS n FROM new_counts UNION ALL SELECT severity, -count FROM old_counts
      ) d GROUP BY 1 HAVING sum(n) <> 0 ORDER BY 1
      ON CONFLICT (severity) DO UPDATE SET count = t.count + EXCLUDED.count;
  ELSE
    INSERT INTO kms_key_severity_counts AS t (severity, count)
      SELECT severity, -sum(count) FROM old_counts GROUP BY 1 HAVING sum(count) <> 0 ORDER BY 1
      ON CONFLICT (severity) DO UPDATE SET count = t.count + EXCLUDED.count;
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
CREATE TRIGGER "kms_key_counts_severity_truncate" AFTER TRUNCATE ON "kms_key_counts"
  FOR EACH STATEMENT EXECUTE FUNCTION kms_key_severity_counts_on_truncate();

CREATE FUNCTION scan_totals_on_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM scan_totals;
  RETURN NULL;
END
$$;

CREATE TRIGGER "kms_keys_counts_insert" AFTER INSERT ON "kms_keys"
  REFERENCING NEW TABLE AS new_keys FOR EACH STATEMENT EXECUTE FUNCTION kms_key_counts_on_write();
CREATE TRIGGER "kms_keys_counts_update" AFTER UPDATE ON "kms_keys"
  REFERENCING OLD TABLE AS old_keys NEW TABLE AS new_keys FOR EACH STATEMENT EXECUTE FUNCTION kms_key_counts_on_write();
CREATE TRIGGER "kms_keys_counts_delete" AFTER DELETE ON "kms_keys"
  REFERENCING OLD TABLE AS old_keys FOR EACH STATEMENT EXECUTE FUNCTION kms_key_counts_on_write();
CREATE TRIGGER "kms_keys_counts_truncate" AFTER TRUNCATE ON "kms_keys"
  FOR EACH STATEMENT EXECUTE FUNCTION kms_key_counts_on_truncate();

-- Live keys per account, region and evaluation instant, for the "Last evaluated" order. A scan (or
-- a re-evaluation) evaluates an account-region at one instant, so these are a few rows per
-- account-region; the insight table walks them in that order and reads each group's keys through
-- the (account, region, key id) index (lib/insights/sql.ts) instead of sorting every key. An index
-- on evaluated_at would do it too, but would make every scan's update of every key a non-HOT one,
-- writing every index of the table (part 3).
CREATE TABLE "kms_key_evaluations" (
    "account_id" CHAR(12) NOT NULL,
    "region" TEXT NOT NULL,
    "evaluated_at" TIMESTAMPTZ(3) NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "kms_key_evaluations_pkey" PRIMARY KEY ("account_id","region","evaluated_at")
);

CREATE INDEX "kms_key_evaluations_evaluated_at_account_id_region_idx" ON "kms_key_evaluations"("evaluated_at", "account_id", "region");

ALTER TABLE "kms_key_evaluations" ADD CONSTRAINT "kms_key_evaluations_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "aws_accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Adds per-group changes (n: +1 or -1 per key, or their sums); groups that reach 0 are removed.
CREATE FUNCTION kms_key_evaluations_apply(
  d_account CHAR(12)[], d_region TEXT[], d_at TIMESTAMPTZ[], d_n INTEGER[]
) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO kms_key_evaluations AS e (account_id, region, evaluated_at, count)
    SELECT d.account_id, d.region, d.evaluated_at, sum(d.n)
    FROM unnest(d_account, d_region, d_at, d_n) AS d(account_id, region, evaluated_at, n)
    WHERE EXISTS (SELECT 1 FROM aws_accounts a WHERE a.id = d.account_id)
    GROUP BY 1, 2, 3 HAVING sum(d.n) <> 0 ORDER BY 1, 2, 3
    ON CONFLICT (account_id, region, evaluated_at) DO UPDATE SET count = e.count + EXCLUDED.count;
  IF EXISTS (SELECT 1 FROM unnest(d_n) AS n WHERE n < 0) THEN
    DELETE FROM kms_key_evaluations e
    USING unnest(d_account, d_region, d_at) AS d(account_id, region, evaluated_at)
    WHERE e.count = 0 AND (e.account_id, e.region, e.evaluated_at) = (d.account_id, d.region, d.evaluated_at);
  END IF;
END
$$;

-- The live rows a statement made count +1 and those it replaced or removed -1, summed per group:
-- a scan moves each account-region's keys from one instant to the next in a few group changes.
CREATE FUNCTION kms_key_evaluations_on_write() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  d_account CHAR(12)[]; d_region TEXT[]; d_at TIMESTAMPTZ[]; d_n INTEGER[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(account_id), array_agg(region), array_agg(evaluated_at), array_agg(n)
      INTO d_account, d_region, d_at, d_n
      FROM (SELECT account_id, region, evaluated_at, count(*)::int AS n FROM new_keys
            WHERE gone_at IS NULL GROUP BY 1, 2, 3) g;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(account_id), array_agg(region), array_agg(evaluated_at), array_agg(n)
      INTO d_account, d_region, d_at, d_n
      FROM (SELECT account_id, region, evaluated_at, -count(*)::int AS n FROM old_keys
            WHERE gone_at IS NULL GROUP BY 1, 2, 3) g;
  ELSE
    SELECT array_agg(account_id), array_agg(region), array_agg(evaluated_at), array_agg(n)
      INTO d_account, d_region, d_at, d_n
      FROM (
        SELECT account_id, region, evaluated_at, sum(n)::int AS n FROM (
          SELECT account_id, region, evaluated_at, 1 AS n FROM new_keys WHERE gone_at IS NULL
          UNION ALL
          SELECT account_id, region, evaluated_at, -1 FROM old_keys WHERE gone_at IS NULL
        ) x GROUP BY 1, 2, 3 HAVING sum(n) <> 0
      ) g;
  END IF;
  IF d_n IS NOT NULL THEN
    PERFORM kms_key_evaluations_apply(d_account, d_region, d_at, d_n);
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER "kms_keys_evaluations_insert" AFTER INSERT ON "kms_keys"
  REFERENCING NEW TABLE AS new_keys FOR EACH STATEMENT EXECUTE FUNCTION kms_key_evaluations_on_write();
CREATE TRIGGER "kms_keys_evaluations_update" AFTER UPDATE ON "kms_keys"
  REFERENCING OLD TABLE AS old_keys NEW TABLE AS new_keys FOR EACH STATEMENT EXECUTE FUNCTION kms_key_evaluations_on_write();
CREATE TRIGGER "kms_keys_evaluations_delete" AFTER DELETE ON "kms_keys"
  REFERENCING OLD TABLE AS old_keys FOR EACH STATEMENT EXECUTE FUNCTION kms_key_evaluations_on_write();

-- 2. Per-scan totals of scan_summaries (a row per scan and severity), for the overview's trend:
-- thirty scans of a thousand account-regions are 120,000 summary rows to add up, these are 120.
-- A trigger on scan_summaries keeps them, for any writer (recordSummary, tests).
CREATE TABLE "scan_totals" (
    "scan_id" TEXT NOT NULL,
    "severity" "Severity" NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "scan_totals_pkey" PRIMARY KEY ("scan_id","severity")
);

ALTER TABLE "scan_totals" ADD CONSTRAINT "scan_totals_scan_id_fkey" FOREIGN KEY ("scan_id") REFERENCES "scans"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE FUNCTION scan_totals_on_write() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- A scan being removed takes its summaries and totals with it: nothing to add up for it.
  IF TG_OP = 'INSERT' THEN
    INSERT INTO scan_totals AS t (scan_id, severity, count)
      SELECT n.scan_id, n.severity, sum(n.count) FROM new_summaries n
      WHERE EXISTS (SELECT 1 FROM scans s WHERE s.id = n.scan_id)
      GROUP BY 1, 2 HAVING sum(n.count) <> 0 ORDER BY 1, 2
      ON CONFLICT (scan_id, severity) DO UPDATE SET count = t.count + EXCLUDED.count;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO scan_totals AS t (scan_id, severity, count)
      SELECT d.scan_id, d.severity, sum(d.count) FROM (
        SELECT scan_id, severity, count FROM new_summaries
        UNION ALL SELECT scan_id, severity, -count FROM old_summaries
      ) d
      WHERE EXISTS (SELECT 1 FROM scans s WHERE s.id = d.scan_id)
      GROUP BY 1, 2 HAVING sum(d.count) <> 0 ORDER BY 1, 2
      ON CONFLICT (scan_id, severity) DO UPDATE SET count = t.count + EXCLUDED.count;
  ELSE
    INSERT INTO scan_totals AS t (scan_id, severity, count)
      SELECT o.scan_id, o.severity, -sum(o.count) FROM old_summaries o
      WHERE EXISTS (SELECT 1 FROM scans s WHERE s.id = o.scan_id)
      GROUP BY 1, 2 HAVING sum(o.count) <> 0 ORDER BY 1, 2
      ON CONFLICT (scan_id, severity) DO UPDATE SET count = t.count + EXCLUDED.count;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER "scan_summaries_totals_insert" AFTER INSERT ON "scan_summaries"
  REFERENCING NEW TABLE AS new_summaries FOR EACH STATEMENT EXECUTE FUNCTION scan_totals_on_write();
CREATE TRIGGER "scan_summaries_totals_update" AFTER UPDATE ON "scan_summaries"
  REFERENCING OLD TABLE AS old_summaries NEW TABLE AS new_summaries FOR EACH STATEMENT EXECUTE FUNCTION scan_totals_on_write();
CREATE TRIGGER "scan_summaries_totals_delete" AFTER DELETE ON "scan_summaries"
  REFERENCING OLD TABLE AS old_summaries FOR EACH STATEMENT EXECUTE FUNCTION scan_totals_on_write();
CREATE TRIGGER "scan_summaries_totals_truncate" AFTER TRUNCATE ON "scan_summaries"
  FOR EACH STATEMENT EXECUTE FUNCTION scan_totals_on_truncate();

-- Recounts every count table from kms_keys and scan_summaries (the backfill below; a repair too).
CREATE FUNCTION insight_counts_rebuild() RETURNS void LANGUAGE sql AS $$
  DELETE FROM kms_key_tag_value_counts;
  DELETE FROM kms_key_tag_counts;
  DELETE FROM kms_key_counts;
  DELETE FROM kms_key_severity_counts;
  INSERT INTO kms_key_counts (account_id, region, severity, count)
    SELECT account_id, region, severity, count(*) FROM kms_keys WHERE gone_at IS NULL GROUP BY 1, 2, 3;
  INSERT INTO kms_key_tag_counts (tag_key, account_id, region, severity, count)
    SELECT t.tag_key, k.account_id, k.region, k.severity, count(*)
    FROM kms_keys k CROSS JOIN LATERAL kms_key_count_tags(k.tags) t WHERE k.gone_at IS NULL GROUP BY 1, 2, 3, 4;
  INSERT INTO kms_key_tag_value_counts (tag_key, tag_value, account_id, region, severity, count)
    SELECT t.tag_key, t.tag_value, k.account_id, k.region, k.severity, count(*)
    FROM kms_keys k CROSS JOIN LATERAL kms_key_count_tags(k.tags) t WHERE k.gone_at IS NULL GROUP BY 1, 2, 3, 4, 5;
  DELETE FROM kms_key_evaluations;
  INSERT INTO kms_key_evaluations (account_id, region, evaluated_at, count)
    SELECT account_id, region, evaluated_at, count(*) FROM kms_keys WHERE gone_at IS NULL GROUP BY 1, 2, 3;
  DELETE FROM scan_totals;
  INSERT INTO scan_totals (scan_id, severity, count)
    SELECT scan_id, severity, sum(count) FROM scan_summaries GROUP BY 1, 2;
$$;

SELECT insight_counts_rebuild();

-- 3. Sorting. Every sortable column but "Last evaluated" gets a partial index (live keys) on the
-- order the insight table asks for (lib/insights/sql.ts): the sort key, then the id. A page is
-- then the first entries of an index walk instead of a sort of every key. The severity is
-- included so that the walk skips the keys the severity filter hides (NOT_APPLICABLE by default,
-- which can fill the start of an order: every non-symmetric key spec, for one) without reading
-- their rows. Absent dates and periods sort last in both directions, hence two indexes for each
-- of those columns. Alias lists are indexed by their text as the table shows it (its first 512
-- characters). evaluated_at is not indexed: the collector rewrites it on every key in every scan,
-- and an index on it would turn each of those updates into one that writes every index.
--
-- Those updates stay cheap because they are HOT: with half of each page kept free, the new version
-- of a key fits in its page, and an update that changes no indexed column writes no index entry.
-- A table that the collector rewrites every scan holds two versions of each row between vacuums
-- anyway, so the free half costs little room (docs/benchmarks.md has the measurements). Existing
-- pages keep their rows until these move.
ALTER TABLE "kms_keys" SET (fillfactor = 50);

-- The alias column's text: aliases joined as the table shows them, the first 512 characters.
-- array_to_string is STABLE in general but not for text[] (see insight_search_text below).
CREATE FUNCTION insight_aliases_text(aliases text[]) RETURNS text
  LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
  AS $$ BEGIN RETURN left(coalesce(array_to_string(aliases, ', '), ''), 512); END $$;

-- 4. Search. A substring search checks the text of every key the trigram index proposes, by calling
-- insight_search_text (migration 20261130110000). As a LANGUAGE sql function whose body calls a
-- STABLE function (array_to_string) it is never inlined, and each call went through the SQL
-- function executor: 16 µs a key, 0.25 s of a search matching 16,000 keys. The same expression in
-- PL/pgSQL costs 6 µs. Same arguments, same result: the index built on it stays valid.
CREATE OR REPLACE FUNCTION insight_search_text(key_id text, arn text, aliases text[]) RETURNS text
  LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
  AS $$ BEGIN RETURN lower(key_id || ' ' || arn || ' ' || coalesce(array_to_string(aliases, ' '), '')); END $$;

CREATE INDEX "kms_keys_live_region_idx" ON "kms_keys"("region", "id") INCLUDE ("severity") WHERE "gone_at" IS NULL;
CREATE INDEX "kms_keys_live_key_id_idx" ON "kms_keys"("key_id", "id") INCLUDE ("severity") WHERE "gone_at" IS NULL;
CREATE INDEX "kms_keys_live_aliases_idx" ON "kms_keys"(insight_aliases_text("aliases"), "id") INCLUDE ("severity") WHERE "gone_at" IS NULL;
CREATE INDEX "kms_keys_live_rotation_status_idx" ON "kms_keys"("rotation_status", "id") INCLUDE ("severity") WHERE "gone_at" IS NULL;
CREATE INDEX "kms_keys_live_rotation_period_idx" ON "kms_keys"("rotation_period_days", "id") INCLUDE ("severity") WHERE "gone_at" IS NULL;
CREATE INDEX "kms_keys_live_rotation_period_desc_idx" ON "kms_keys"("rotation_period_days" DESC NULLS LAST, "id" DESC) INCLUDE ("severity") WHERE "gone_at" IS NULL;
CREATE INDEX "kms_keys_live_next_rotation_idx" ON "kms_keys"("next_rotation", "id") INCLUDE ("severity") WHERE "gone_at" IS NULL;
CREATE INDEX "kms_keys_live_next_rotation_desc_idx" ON "kms_keys"("next_rotation" DESC NULLS LAST, "id" DESC) INCLUDE ("severity") WHERE "gone_at" IS NULL;
CREATE INDEX "kms_keys_live_last_rotation_idx" ON "kms_keys"("last_rotation", "id") INCLUDE ("severity") WHERE "gone_at" IS NULL;
CREATE INDEX "kms_keys_live_last_rotation_desc_idx" ON "kms_keys"("last_rotation" DESC NULLS LAST, "id" DESC) INCLUDE ("severity") WHERE "gone_at" IS NULL;
CREATE INDEX "kms_keys_live_key_manager_idx" ON "kms_keys"("key_manager", "id") INCLUDE ("severity") WHERE "gone_at" IS NULL;
CREATE INDEX "kms_keys_live_key_spec_idx" ON "kms_keys"("key_spec", "id") INCLUDE ("severity") WHERE "gone_at" IS NULL;
CREATE INDEX "kms_keys_live_key_state_idx" ON "kms_keys"("key_state", "id") INCLUDE ("severity") WHERE "gone_at" IS NULL;
CREATE INDEX "kms_keys_live_origin_idx" ON "kms_keys"("origin", "id") INCLUDE ("severity") WHERE "gone_at" IS NULL;
CREATE INDEX "kms_keys_live_reason_idx" ON "kms_keys"("reason", "id") INCLUDE ("severity") WHERE "gone_at" IS NULL;
CREATE INDEX "kms_keys_live_description_idx" ON "kms_keys"("finding_description", "id") INCLUDE ("severity") WHERE "gone_at" IS NULL;
