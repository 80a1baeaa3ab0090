import { audit, type Actor } from "@/lib/audit/log";
import { accountIdInScope, type AccountScope } from "@/lib/auth/account-scope";
import { accountAccess } from "@/lib/collector/run-target";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { cloudTrailClient, type AccountAccess } from "@/lib/kms/clients";
import { describeError } from "@/lib/kms/errors";
import { logger } from "@/lib/log";
import type { KeyChange, KeyChangeEventName } from "./key-changes";
import { lookupKeyChanges } from "./lookup";

// "Who changed it": a key's changes from CloudTrail, fetched on demand and cached per key. A failed
// fetch never loses the cached events: it records its error beside them.

export type FetchErrorKind = "access-denied" | "throttled" | "failed";

export interface KeyChangeHistory {
  events: KeyChange[];
  /** The last successful fetch; null when none succeeded yet. */
  fetchedAt: Date | null;
  /** The last attempt's failure, in words; null when it succeeded. */
  error: { kind: FetchErrorKind; message: string } | null;
}

/** Older than this, a cached history is fetched again when the page asks to load it. */
export const HISTORY_MAX_AGE_MS = 60 * 60 * 1000;

/** The cached history of a key (no AWS call); null when it was never fetched. */
export async function readKeyChangeHistory(
  db: PrismaClient,
  keyArn: string,
): Promise<KeyChangeHistory | null> {
  const fetch = await db.keyChangeFetch.findUnique({
    where: { keyArn },
    include: { events: { orderBy: [{ eventTime: "desc" }, { eventId: "asc" }] } },
  });
  if (!fetch) return null;
  return {
    fetchedAt: fetch.fetchedAt,
    error: fetch.errorKind ? { kind: fetch.errorKind as FetchErrorKind, message: fetch.error ?? "" } : null,
    events: fetch.events.map((e) => ({
      eventId: e.eventId,
      eventName: e.eventName as KeyChangeEventName,
      eventTime: e.eventTime,
      region: e.region,
      principalArn: e.principalArn,
      sourceAddress: e.sourceAddress,
      rotationPeriodDays: e.rotationPeriodDays,
    })),
  };
}

function errorOf(err: unknown): { kind: FetchErrorKind; message: string } {
  const name = err instanceof Error ? err.name : "";
  if (name === "AccessDeniedException" || name === "AccessDenied")
    return {
      kind: "access-denied",
      message:
        'The scanning role may not read CloudTrail: add cloudtrail:LookupEvents (Resource "*") to its ' +
        `policy, then load the history again. AWS said: ${describeError(err)}`,
    };
  if (/Throttl|TooManyRequests|RequestLimitExceeded/.test(name))
    return {
      kind: "throttled",
      message:
        "CloudTrail is limiting requests (LookupEvents answers 2 a second per account and region). " +
        "Try again in a minute.",
    };
  return { kind: "failed", message: `CloudTrail could not be read: ${describeError(err)}` };
}

export interface KeyChangeHistoryOptions {
  /** Fetch again when the cache is older than this (0: always). Default one hour. */
  maxAgeMs?: number;
  now?: Date;
  actor?: Actor;
}

/**
 * The key's history: the cache when fetched within `maxAgeMs`, otherwise LookupEvents with the
 * account's scanning credentials, stored (replacing the cached events) with the fetch time. A
 * failure is stored beside the cached events and returned with them; it never throws for AWS errors.
 */
export async function keyChangeHistory(
  db: PrismaClient,
  account: AccountAccess,
  region: string,
  keyArn: string,
  opts: KeyChangeHistoryOptions = {},
): Promise<KeyChangeHistory> {
  const now = opts.now ?? new Date();
  const cached = await readKeyChangeHistory(db, keyArn);
  const maxAge = opts.maxAgeMs ?? HISTORY_MAX_AGE_MS;
  if (cached?.fetchedAt && !cached.error && now.getTime() - cached.fetchedAt.getTime() < maxAge)
    return cached;

  let fetched: Awaited<ReturnType<typeof lookupKeyChanges>>;
  let client: ReturnType<typeof cloudTrailClient> | undefined;
  try {
    client = cloudTrailClient(account, region);
    fetched = await lookupKeyChanges(client, keyArn, region, now);
  } catch (err) {
    const error = errorOf(err);
    logger.warn({ keyArn, err: describeError(err) }, "CloudTrail history fetch failed");
    await db.keyChangeFetch.upsert({
      where: { keyArn },
      create: { keyArn, attemptedAt: now, errorKind: error.kind, error: error.message },
      update: { attemptedAt: now, errorKind: error.kind, error: error.message },
    });
    return { events: cached?.events ?? [], fetchedAt: cached?.fetchedAt ?? null, error };
  } finally {
    client?.destroy();
  }
  if (fetched.truncated) logger.warn({ keyArn }, "CloudTrail history cut at its page limit");
  await db.$transaction(async (tx) => {
    await tx.keyChangeFetch.upsert({
      where: { keyArn },
      create: { keyArn, attemptedAt: now, fetchedAt: now },
      update: { attemptedAt: now, fetchedAt: now, errorKind: null, error: null },
    });
    await tx.keyChangeEvent.deleteMany({ where: { keyArn } });
    await tx.keyChangeEvent.createMany({ data: fetched.changes.map((c) => ({ keyArn, ...c })) });
    if (opts.actor)
      await audit(tx, {
        ...opts.actor,
        action: "key.history.fetch",
        target: keyArn,
        details: { events: fetched.changes.length },
      });
  });
  return { events: fetched.changes, fetchedAt: now, error: null };
}

export type LoadKeyHistoryResult = { ok: true; history: KeyChangeHistory } | { ok: false; message: string };

/**
 * For a user: the history of a key they may see (their account scope, checked here), fetched as
 * keyChangeHistory does. A key outside the scope is answered as missing.
 */
export async function loadKeyChangeHistory(
  db: PrismaClient,
  keyId: string,
  scope: AccountScope,
  opts: KeyChangeHistoryOptions = {},
): Promise<LoadKeyHistoryResult> {
  const key = await db.kmsKey.findFirst({
    where: { id: keyId, ...accountIdInScope(scope) },
    select: { arn: true, accountId: true, region: true },
  });
  if (!key) return { ok: false, message: "This key does not exist or is not in your accounts." };
  const access = await accountAccess(db, key.accountId);
  if (!access) return { ok: false, message: `Account ${key.accountId} is no longer configured.` };
  return { ok: true, history: await keyChangeHistory(db, access, key.region, key.arn, opts) };
}
