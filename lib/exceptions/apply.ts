import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import { coveringSql, coversSql, FAILING, inForceSql, KMS_KEY, placeSql } from "./coverage";

// Keeps kms_keys.exception_id true when an exception comes into force or ends (the collector keeps
// it for the keys it writes). The lifecycle trigger turns those changes into statuses and events.
// The instant `now` travels as a parameter, read through the one-row CTE `clock`.

type Db = PrismaClient | Prisma.TransactionClient;

const NOW = "(SELECT at FROM clock)";
const raw = Prisma.raw;

/**
 * Exception `id` came into force: every live failing key it covers takes it, unless the key's exception
 * wins the order coveringSql picks by (expires later; on a tie, the smaller id). The key list, else the accounts, narrow the keys read (an index), the rule decides.
 */
export async function applyException(db: Db, id: string, now: Date): Promise<number> {
  const [x] = await db.$queryRaw<{ key_arns: string[]; accounts: string[] }[]>`
    SELECT key_arns, accounts::text[] AS accounts FROM exceptions WHERE id = ${id}`;
  if (!x) return 0;
  const narrow = x.key_arns.length
    ? Prisma.sql`k.arn = ANY(${x.key_arns}::text[])`
    : x.accounts.length
      ? Prisma.sql`k.account_id = ANY(${x.accounts}::char(12)[])`
      : Prisma.sql`TRUE`;
  return db.$executeRaw`
    WITH clock AS (SELECT ${now}::timestamptz AS at)
    UPDATE kms_keys k SET exception_id = x.id
    FROM exceptions x
    WHERE x.id = ${id} AND ${raw(inForceSql("x", NOW))} AND ${narrow}
      AND k.gone_at IS NULL AND k.severity IN ${raw(FAILING)} AND ${raw(coversSql("x", KMS_KEY))}
      AND k.exception_id IS DISTINCT FROM x.id
      AND NOT EXISTS (
        SELECT 1 FROM exceptions cur WHERE cur.id = k.exception_id
          AND ${raw(inForceSql("cur", NOW))}
          AND (cur.expires_at > x.expires_at OR (cur.expires_at = x.expires_at AND cur.id < x.id)))`;
}

/**
 * Exceptions `ids` ended (revoked, replaced, expired): their keys take the exception in force that
 * covers them and expires last, if any.
 */
export async function endExceptions(db: Db, ids: string[], now: Date): Promise<number> {
  if (!ids.length) return 0;
  return recover(db, Prisma.sql`k.exception_id = ANY(${ids}::text[])`, ids, now);
}

/**
 * Keys `ids` were judged again outside a scan (a policy change): those failing take the exception
 * in force that covers them, if any; those passing none.
 */
export async function coverKeys(db: Db, ids: string[], now: Date): Promise<number> {
  if (!ids.length) return 0;
  return recover(db, Prisma.sql`k.id = ANY(${ids}::text[])`, [], now);
}

/**
 * The keys `which` selects take the exception in force (but those in `ended`) that covers them and
 * expires last, looked for among those that admit their account-region; passing keys none.
 */
async function recover(db: Db, which: Prisma.Sql, ended: string[], now: Date): Promise<number> {
  const covering = coveringSql(
    "candidates",
    { arn: "a.arn", account: "a.account_id", region: "a.region", tags: "a.tags", aliases: "a.aliases" },
    "x.place_account = a.account_id AND x.place_region = a.region",
  );
  return db.$executeRaw`
    WITH clock AS (SELECT ${now}::timestamptz AS at),
    affected AS MATERIALIZED (
      SELECT k.id, k.arn, k.account_id, k.region, k.tags, k.aliases,
        k.gone_at IS NULL AND k.severity IN ${raw(FAILING)} AS failing
      FROM kms_keys k WHERE ${which}
    ), places AS (
      SELECT DISTINCT account_id, region FROM affected WHERE failing
    ), candidates AS MATERIALIZED (
      SELECT p.account_id AS place_account, p.region AS place_region, x.*
      FROM places p JOIN exceptions x
        ON ${raw(inForceSql("x", NOW))} AND NOT (x.id = ANY(${ended}::text[]))
          AND ${raw(placeSql("x", "p.account_id", "p.region"))}
    ), chosen AS (
      SELECT a.id, CASE WHEN a.failing THEN ${raw(covering)} END AS exception_id FROM affected a
    )
    UPDATE kms_keys k SET exception_id = c.exception_id
    FROM chosen c WHERE k.id = c.id AND k.exception_id IS DISTINCT FROM c.exception_id`;
}

/**
 * Ends the exceptions that expired by `now` and still mark keys: the keys' findings open again
 * (marked with the expiry). Run before each read of findings (readAfterExpiries) and every minute by
 * the worker, so that an expiry is never missed, even one that passed while the console was down.
 */
export async function sweepExpiredExceptions(db: PrismaClient, now = new Date()): Promise<string[]> {
  const due = await db.$queryRaw<{ id: string }[]>`
    SELECT x.id FROM exceptions x
    WHERE x.expires_at <= ${now} AND EXISTS (SELECT 1 FROM kms_keys k WHERE k.exception_id = x.id)`;
  if (!due.length) return [];
  const ids = due.map((d) => d.id);
  await endExceptions(db, ids, now);
  return ids;
}

const DAY = 86_400_000;
/** Per database client: until when no exception can expire, as the last sweep found. */
const quietUntil = new WeakMap<PrismaClient, number>();

/**
 * The sweep, unless none can be due: after a sweep, nothing expires before the earliest expiry of
 * the exceptions in force, nor before the next 00:00 UTC (an exception created since, anywhere,
 * expires at a day's start, tomorrow at the earliest).
 */
async function sweepIfDue(db: PrismaClient): Promise<string[]> {
  const now = Date.now();
  if (now < (quietUntil.get(db) ?? 0)) return [];
  const ended = await sweepExpiredExceptions(db, new Date(now));
  const [next] = await db.$queryRaw<{ at: Date | null }[]>`
    WITH clock AS (SELECT ${new Date(now)}::timestamptz AS at)
    SELECT min(x.expires_at) AS at FROM exceptions x WHERE ${raw(inForceSql("x", NOW))}`;
  const midnight = Math.floor(now / DAY) * DAY + DAY;
  quietUntil.set(db, Math.min(next?.at?.getTime() ?? Infinity, midnight));
  return ended;
}

/**
 * `read` of findings as they are once every expiry up to now is applied: the sweep (when one can
 * be due) runs beside the read, and when it did end an exception the read is made again, after it.
 */
export async function readAfterExpiries<T>(db: PrismaClient, read: () => Promise<T>): Promise<T> {
  const [ended, result] = await Promise.all([sweepIfDue(db), read()]);
  return ended.length ? read() : result;
}
