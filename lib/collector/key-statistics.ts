import { queryPrepared } from "@/lib/db/client";
import { SERVER_HAS_MAINTAIN } from "@/lib/db/roles";
import type { PrismaClient } from "@/lib/generated/prisma/client";

// A first scan fills kms_keys from (nearly) empty. Each database session plans the foreign-key
// checks of the rows that name a key (key_tags, finding_history, finding_events) once, from the
// table's statistics, and keeps the plan until the statistics change. Made while the statistics
// said "empty" (as they do right after the migrations), that plan reads the whole table for every
// check: in the benchmark's first scan of 1,000 accounts, 10,000 to 33,000 such scans reading 42 to
// 100 million rows, which doubled PostgreSQL's CPU. Autovacuum's analyze comes, but up to a minute
// later and at its own pace. So after writing its keys a scan job checks (one catalog row) whether
// the table has grown past twice the pages its statistics know while it is small, and if so
// analyzes it: new statistics make every session plan its checks again. One job at a time does it
// (an advisory lock that the others do not wait for); past 100,000 keys autovacuum's own pace does.

/** Distinct from the scheduler's locks (queue.ts). */
const ANALYZE_LOCK = 72_707_372;
const SMALL_TABLE_ROWS = 100_000;

// Only a role that may analyze the table tries: its owner, or one granted PostgreSQL 17's MAINTAIN
// (lib/db/roles.ts); another's ANALYZE would be skipped with a warning in the server's log.
const GROWN = `SELECT c.reltuples < ${SMALL_TABLE_ROWS}
    AND pg_relation_size(c.oid) > 2 * greatest(c.relpages, 1)::bigint * current_setting('block_size')::int
    AND CASE WHEN ${SERVER_HAS_MAINTAIN}
          THEN has_table_privilege(c.oid, 'MAINTAIN') ELSE pg_has_role(c.relowner, 'USAGE') END AS grown
  FROM pg_class c WHERE c.oid = 'kms_keys'::regclass`;

/** Analyzes kms_keys when it has outgrown its statistics (see above); true when this call did. */
export async function analyzeKeysIfGrown(db: PrismaClient): Promise<boolean> {
  const [row] = await queryPrepared<{ grown: boolean }>(db, "collector_keys_grown", GROWN, []);
  if (!row?.grown) return false;
  return db.$transaction(async (tx) => {
    const [lock] = await tx.$queryRaw<
      { locked: boolean }[]
    >`SELECT pg_try_advisory_xact_lock(${ANALYZE_LOCK}) AS locked`;
    if (!lock?.locked) return false;
    await tx.$executeRawUnsafe("ANALYZE kms_keys");
    return true;
  });
}
