import { randomUUID } from "node:crypto";
import { audit, type Actor } from "@/lib/audit/log";
import type { AccountScope } from "@/lib/auth/account-scope";
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import type { Role } from "@/lib/generated/prisma/enums";
import { getSettings } from "@/lib/settings";
import { applyException, endExceptions } from "./apply";
import { checkExpiry, type NewExceptionInput, newExceptionSchema } from "./schema";

// Exceptions: created (as a new exception, or as the next version of one), approved, revoked.
// Each change and its audit entry commit in one transaction, with the keys it covers updated in
// the same transaction (./apply.ts). Role and account scope are checked here, on the server,
// whoever calls (console action, CLI, API).

/**
 * A refusal a person can act on: shown as is in the console and the CLI; `field` names the input
 * it is about (as the exception form names its fields), when it is about one.
 */
export class ExceptionError extends Error {
  constructor(
    message: string,
    readonly field?: "keyArns" | "accounts" | "ownerEmail" | "expires",
  ) {
    super(message);
  }
}

/** Who acts: an audit actor with its role and account scope (the CLI acts as an admin of every account). */
export interface ExceptionActor extends Actor {
  role: Role;
  scope: AccountScope;
}

type Tx = Prisma.TransactionClient;

const canPropose = (actor: ExceptionActor) => actor.role === "ADMIN" || actor.role === "ANALYST";

/** An exception's scope must stay within the actor's accounts: a scoped analyst names them. */
async function checkScope(
  tx: Tx,
  actor: ExceptionActor,
  scope: { keyArns: string[]; accounts: string[] },
): Promise<{ accounts: string[]; regions: string[] }> {
  let keyPlaces: { account_id: string; region: string }[] = [];
  if (scope.keyArns.length) {
    // The keys once: their places, and how many of the ARNs are known (arn is unique).
    keyPlaces = await tx.$queryRaw`
      SELECT account_id::text AS account_id, region FROM kms_keys WHERE arn = ANY(${scope.keyArns}::text[])`;
    const found = keyPlaces.length;
    if (found !== scope.keyArns.length)
      throw new ExceptionError(
        `${scope.keyArns.length - found} of the chosen keys are unknown to the console: choose keys it has scanned.`,
        "keyArns",
      );
  }
  if (actor.scope !== null) {
    const allowed = new Set(actor.scope);
    const accounts = scope.keyArns.length ? keyPlaces.map((p) => p.account_id) : scope.accounts;
    if (!accounts.length || accounts.some((a) => !allowed.has(a)))
      throw new ExceptionError(
        "You may only create exceptions for the accounts you can see: choose them.",
        scope.keyArns.length ? "keyArns" : "accounts",
      );
  }
  if (scope.keyArns.length) {
    // A key list is also kept as its accounts and regions, which let the collector find it fast.
    return {
      accounts: [...new Set(keyPlaces.map((p) => p.account_id))].sort(),
      regions: [...new Set(keyPlaces.map((p) => p.region))].sort(),
    };
  }
  return { accounts: scope.accounts, regions: [] };
}

export interface CreatedException {
  id: string;
  seriesId: string;
  version: number;
  /** In force now (false: waiting for an admin's approval). */
  inForce: boolean;
  /** Failing findings it excepts now. */
  keys: number;
}

/**
 * Creates an exception, or (with `replaces`) the next version of one: the version before stays
 * in force until this one is, and is then marked superseded. An analyst's exception waits for an
 * admin other than its author when the setting "exceptions need approval" is on; an admin's is in
 * force at once.
 */
export async function createException(
  db: PrismaClient,
  input: NewExceptionInput,
  actor: ExceptionActor,
  opts: { now?: Date; replaces?: string } = {},
): Promise<CreatedException> {
  if (!canPropose(actor)) throw new ExceptionError("Only analysts and admins may create exceptions.");
  const parsed = newExceptionSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ExceptionError(issue.message);
  }
  const now = opts.now ?? new Date();
  const data = parsed.data;
  const expiry = checkExpiry(data.expires, now);
  if ("error" in expiry) throw new ExceptionError(expiry.error, "expires");

  return db.$transaction(async (tx) => {
    const owner = await tx.user.findUnique({ where: { email: data.ownerEmail } });
    if (!owner || owner.disabled)
      throw new ExceptionError(
        `The owner must be an enabled user of the console; ${data.ownerEmail} is not.`,
        "ownerEmail",
      );
    const place = await checkScope(tx, actor, data.scope);
    const scope = {
      ...data.scope,
      ...(data.scope.keyArns.length ? place : { accounts: data.scope.accounts }),
    };

    let seriesId: string;
    let version = 1;
    if (opts.replaces) {
      const previous = await lockException(tx, opts.replaces);
      // A new version ends the one it replaces: whoever may revoke it may change it, no one else.
      checkMayEnd(actor, previous);
      if (previous.supersededAt || previous.revokedAt)
        throw new ExceptionError("That version was already replaced or revoked: change the latest version.");
      seriesId = previous.seriesId;
      const [last] = await tx.$queryRaw<{ version: number }[]>`
        SELECT max(version)::int AS version FROM exceptions WHERE series_id = ${seriesId}`;
      version = (last?.version ?? 0) + 1;
    } else {
      seriesId = "";
    }
    const needsApproval = actor.role !== "ADMIN" && (await getSettings(tx))["exceptions.requireApproval"];
    const id = `exc_${randomUUID().replace(/-/g, "").slice(0, 20)}`;
    await tx.findingException.create({
      data: {
        id,
        seriesId: seriesId || id,
        version,
        kind: data.kind === "false-positive" ? "FALSE_POSITIVE" : "ACCEPTED_RISK",
        justification: data.justification,
        ownerId: owner.id,
        ownerEmail: owner.email,
        createdById: actor.actorId ?? null,
        createdByEmail: actor.actorEmail,
        createdAt: now,
        expiresAt: expiry.at,
        ticketUrl: data.ticketUrl,
        keyArns: scope.keyArns,
        accounts: scope.accounts,
        regions: data.scope.keyArns.length ? place.regions : data.scope.regions,
        tagKey: data.scope.keyArns.length ? null : data.scope.tagKey,
        tagValues: data.scope.keyArns.length ? [] : data.scope.tagValues,
        aliasPrefix: data.scope.keyArns.length ? null : data.scope.aliasPrefix,
        ...(needsApproval ? {} : { approvedAt: now, approvedByEmail: actor.actorEmail }),
      },
    });
    const keys = needsApproval ? 0 : await bringIntoForce(tx, id, now);
    await audit(tx, {
      ...actor,
      action: opts.replaces ? "exception.version" : "exception.create",
      target: id,
      details: {
        series: seriesId || id,
        version,
        kind: data.kind,
        owner: owner.email,
        expires: expiry.at.toISOString().slice(0, 10),
        scope: describeScope(scope),
        pendingApproval: needsApproval,
        keysCovered: keys,
        ...(opts.replaces ? { replaces: opts.replaces } : {}),
      },
    });
    return { id, seriesId: seriesId || id, version, inForce: !needsApproval, keys };
  });
}

/** Puts exception `id` in force over its keys, and supersedes the version it replaces. */
async function bringIntoForce(tx: Tx, id: string, now: Date): Promise<number> {
  // Every older version still standing is superseded, pending ones too (they will never come into
  // force); only those in force excepted findings, which endExceptions gives their next exception.
  const replaced = await tx.$queryRaw<{ id: string }[]>`
    UPDATE exceptions SET superseded_at = ${now}, superseded_by = ${id}
    WHERE series_id = (SELECT series_id FROM exceptions WHERE id = ${id}) AND id <> ${id}
      AND superseded_at IS NULL AND revoked_at IS NULL
      AND version < (SELECT version FROM exceptions WHERE id = ${id})
    RETURNING id`;
  await endExceptions(
    tx,
    replaced.map((r) => r.id),
    now,
  );
  await applyException(tx, id, now);
  const [covered] = await tx.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM kms_keys WHERE exception_id = ${id} AND gone_at IS NULL`;
  return covered?.n ?? 0;
}

/**
 * Locks every version of the exception's series, in one order, then reads the exception. Every
 * change of a series (an approval, a revoke, a new version) starts here, so two of them wait for
 * each other instead of deadlocking or both taking the next version number; and read after the
 * lock, the exception is judged as the change it waited for left it.
 */
async function lockException(tx: Tx, id: string) {
  const locked = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM exceptions WHERE series_id = (SELECT series_id FROM exceptions WHERE id = ${id})
    ORDER BY id FOR UPDATE`;
  const row = locked.some((r) => r.id === id)
    ? await tx.findingException.findUnique({ where: { id } })
    : null;
  if (!row) throw new ExceptionError("That exception no longer exists.");
  return row;
}

/** An admin other than its author approves a pending exception: it comes into force. */
export async function approveException(
  db: PrismaClient,
  id: string,
  actor: ExceptionActor,
  now = new Date(),
): Promise<{ keys: number }> {
  if (actor.role !== "ADMIN") throw new ExceptionError("Only admins may approve exceptions.");
  return db.$transaction(async (tx) => {
    const x = await lockException(tx, id);
    if (x.approvedAt) throw new ExceptionError("That exception is already approved.");
    if (x.revokedAt || x.supersededAt) throw new ExceptionError("That exception was revoked or replaced.");
    if (x.expiresAt <= now) throw new ExceptionError("That exception has expired: create a new one.");
    if ((x.createdById && x.createdById === actor.actorId) || x.createdByEmail === actor.actorEmail)
      throw new ExceptionError("An exception needs the approval of an admin other than its author.");
    await tx.findingException.update({
      where: { id },
      data: { approvedAt: now, approvedByEmail: actor.actorEmail },
    });
    const keys = await bringIntoForce(tx, id, now);
    await audit(tx, { ...actor, action: "exception.approve", target: id, details: { keysCovered: keys } });
    return { keys };
  });
}

/**
 * Admins may end (revoke, or replace by a new version) any exception of their accounts; analysts
 * those they created or own. A scoped user never ends one that covers accounts outside the scope,
 * nor a rule naming no account (it covers every account).
 */
function checkMayEnd(
  actor: ExceptionActor,
  x: { createdByEmail: string; ownerEmail: string; accounts: string[] },
): void {
  if (actor.role !== "ADMIN" && x.createdByEmail !== actor.actorEmail && x.ownerEmail !== actor.actorEmail)
    throw new ExceptionError("Analysts may revoke or change only the exceptions they created or own.");
  if (
    actor.scope !== null &&
    (!x.accounts.length || x.accounts.some((a) => !actor.scope!.includes(a.trim())))
  )
    throw new ExceptionError("That exception covers accounts you cannot see.");
}

/**
 * Revokes an exception (pending or in force) at any time: its findings open again at once. Admins
 * may revoke any; analysts those they created or own.
 */
export async function revokeException(
  db: PrismaClient,
  id: string,
  actor: ExceptionActor,
  now = new Date(),
): Promise<{ keys: number }> {
  if (!canPropose(actor)) throw new ExceptionError("Only analysts and admins may revoke exceptions.");
  return db.$transaction(async (tx) => {
    const x = await lockException(tx, id);
    checkMayEnd(actor, x);
    if (x.revokedAt) throw new ExceptionError("That exception is already revoked.");
    if (x.supersededAt) throw new ExceptionError("That version was replaced: revoke the latest version.");
    await tx.findingException.update({
      where: { id },
      data: { revokedAt: now, revokedByEmail: actor.actorEmail },
    });
    const keys = await endExceptions(tx, [id], now);
    await audit(tx, { ...actor, action: "exception.revoke", target: id, details: { keysReopened: keys } });
    return { keys };
  });
}

/** The scope in words, for the audit log and lists. */
export function describeScope(scope: {
  keyArns: string[];
  accounts: string[];
  regions: string[];
  tagKey: string | null;
  tagValues: string[];
  aliasPrefix: string | null;
}): string {
  if (scope.keyArns.length)
    return scope.keyArns.length === 1 ? `key ${scope.keyArns[0]}` : `${scope.keyArns.length} keys`;
  const parts: string[] = [];
  if (scope.accounts.length) parts.push(`accounts ${scope.accounts.join(", ")}`);
  if (scope.regions.length) parts.push(`regions ${scope.regions.join(", ")}`);
  if (scope.tagKey !== null)
    parts.push(
      scope.tagValues.length ? `tag ${scope.tagKey} = ${scope.tagValues.join(" | ")}` : `tag ${scope.tagKey}`,
    );
  if (scope.aliasPrefix !== null) parts.push(`aliases starting ${scope.aliasPrefix}`);
  return `rule: ${parts.join("; ")}`;
}
