import {
  DisableKeyRotationCommand,
  EnableKeyRotationCommand,
  GetKeyRotationStatusCommand,
  type KMSClient,
} from "@aws-sdk/client-kms";
import { audit } from "@/lib/audit/log";
import type { FixItem, FixPlanKind, PrismaClient } from "@/lib/generated/prisma/client";
import { describeError } from "@/lib/kms/errors";
import { logger } from "@/lib/log";
import { getSettings } from "@/lib/settings";
import { KMS_DEFAULT_PERIOD_DAYS } from "@/lib/verdict/rotation-rules";
import { remediationClient } from "./access";
import { finishFixPlan, type FixJob } from "./lifecycle";
import { recheckItem } from "./recheck";
import { recordRotation, type RotationState } from "./verify";

// One job of a run: the plan's pending keys of one account-region, one at a time, at most
// WRITES_PER_SECOND writes a second (well under KMS's request quotas for these calls). Each key:
// claimed (its row locked, skipped by any other worker), judged again, its rotation read (already
// as the plan wants it: done, without writing), written, read back, and then, in the transaction that
// holds the claim, its result, its key row's verdict and its audit entry. A worker killed at any
// point leaves the key pending; the resumed run reads it and never writes it twice.

export const WRITES_PER_SECOND = 5;
/** Throttled or unreachable this many times in a row: the key is recorded as failed. */
const MAX_TRANSIENT_ATTEMPTS = 5;
const TRANSIENT_CODES = new Set([
  "ThrottlingException",
  "TooManyRequestsException",
  "RequestLimitExceeded",
  "KMSInternalException",
  "DependencyTimeoutException",
  "TimeoutError",
  "RequestTimeout",
]);

export interface FixRunDeps {
  writesPerSecond?: number;
  /** Tests: called after a key is written and read back, before anything is recorded. */
  afterWrite?: (item: FixItem) => Promise<void> | void;
}

class Transient extends Error {}

function isTransient(err: unknown): boolean {
  const e = err as {
    name?: string;
    code?: string;
    $metadata?: { httpStatusCode?: number };
    $retryable?: unknown;
  };
  if (TRANSIENT_CODES.has(e.name ?? "")) return true;
  if ((e.$metadata?.httpStatusCode ?? 0) >= 500) return true;
  return (
    /^(ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|EAI_AGAIN)$/.test(e.code ?? "") || e.name === "NetworkingError"
  );
}

async function readRotation(kms: KMSClient, keyId: string): Promise<RotationState> {
  const out = await kms.send(new GetKeyRotationStatusCommand({ KeyId: keyId }));
  return {
    enabled: out.KeyRotationEnabled === true,
    periodDays: typeof out.RotationPeriodInDays === "number" ? out.RotationPeriodInDays : null,
    nextRotation: out.NextRotationDate instanceof Date ? out.NextRotationDate : null,
  };
}

/** Whether the key's rotation is already what the item asks for. */
export function inTargetState(item: Pick<FixItem, "action" | "periodDays">, read: RotationState): boolean {
  if (item.action === "DISABLE_ROTATION") return !read.enabled;
  return read.enabled && (read.periodDays ?? KMS_DEFAULT_PERIOD_DAYS) === item.periodDays;
}

function writeCommand(item: FixItem) {
  return item.action === "DISABLE_ROTATION"
    ? new DisableKeyRotationCommand({ KeyId: item.keyId })
    : new EnableKeyRotationCommand({ KeyId: item.keyId, RotationPeriodInDays: item.periodDays ?? undefined });
}

/** Spaces the writes of one job at least 1/rate seconds apart. */
function pacer(perSecond: number): () => Promise<void> {
  let next = 0;
  return async () => {
    const wait = next - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    next = Math.max(Date.now(), next) + 1000 / perSecond;
  };
}

type Outcome = "done" | "skipped" | "failed" | "taken" | "stopped";

/** Works one account-region of a running plan; returns its keys' outcomes. */
export async function runFixJob(
  db: PrismaClient,
  job: FixJob,
  deps: FixRunDeps = {},
): Promise<Record<Outcome, number>> {
  const tally: Record<Outcome, number> = { done: 0, skipped: 0, failed: 0, taken: 0, stopped: 0 };
  const plan = await db.fixPlan.findUnique({ where: { id: job.planId } });
  const account = await db.awsAccount.findUnique({ where: { id: job.accountId } });
  if (plan?.status !== "RUNNING" || !account) return tally;
  let kms: KMSClient | null = null;
  let accessError: string | null = null;
  try {
    kms = await remediationClient(account, job.region);
  } catch (err) {
    accessError = `The remediation access could not be used: ${describeError(err)}`;
  }
  const pace = pacer(deps.writesPerSecond ?? WRITES_PER_SECOND);
  const maxRotationDays = (await getSettings(db))["policy.maxRotationDays"];
  const items = await db.fixItem.findMany({
    where: { planId: job.planId, accountId: job.accountId, region: job.region, state: "PENDING" },
    orderBy: { id: "asc" },
    select: { id: true },
  });
  const attempts = new Map<bigint, number>();
  let queue = items.map((i) => i.id);
  try {
    while (queue.length) {
      const retry: bigint[] = [];
      for (const id of queue) {
        const tries = (attempts.get(id) ?? 0) + 1;
        attempts.set(id, tries);
        const ctx = { kind: plan.kind, kms, accessError, maxRotationDays, pace, deps };
        const outcome = await applyItem(db, id, ctx, tries >= MAX_TRANSIENT_ATTEMPTS);
        if (outcome === "retry") retry.push(id);
        else tally[outcome]++;
        if (outcome === "stopped") return tally;
      }
      if (retry.length) await new Promise((r) => setTimeout(r, 500 * (attempts.get(retry[0]!) ?? 1)));
      queue = retry;
    }
  } finally {
    kms?.destroy();
  }
  await finishFixPlan(db, job.planId);
  return tally;
}

interface ItemContext {
  kind: FixPlanKind;
  kms: KMSClient | null;
  accessError: string | null;
  maxRotationDays: number;
  pace: () => Promise<void>;
  deps: FixRunDeps;
}

/** One key, in one transaction that holds its claim; "retry" when AWS throttled or was unreachable. */
async function applyItem(
  db: PrismaClient,
  itemId: bigint,
  ctx: ItemContext,
  lastTry: boolean,
): Promise<Outcome | "retry"> {
  // Counted before the claim, in a commit of its own: a key found already as the plan wants it was
  // changed by an earlier attempt of this plan (its record lost) if one was made, else by someone else.
  const marked = await db.$queryRaw<{ previous: number }[]>`
    UPDATE fix_items SET attempts = attempts + 1 WHERE id = ${itemId} AND state = 'PENDING'
    RETURNING attempts - 1 AS previous`;
  if (!marked.length) return "taken";
  const triedBefore = marked[0]!.previous > 0;
  try {
    return await db.$transaction(
      async (tx) => {
        const claimed = await tx.$queryRaw<{ id: bigint }[]>`
          SELECT id FROM fix_items WHERE id = ${itemId} AND state = 'PENDING' FOR UPDATE SKIP LOCKED`;
        if (!claimed.length) return "taken";
        const item = await tx.fixItem.findUniqueOrThrow({ where: { id: itemId }, include: { plan: true } });
        if (item.plan.status !== "RUNNING") return "stopped";
        const key = await tx.kmsKey.findUnique({ where: { arn: item.keyArn } });
        const skip = recheckItem(ctx.kind, item, key, {
          maxRotationDays: ctx.maxRotationDays,
          hasRemediationAccess: ctx.kms !== null || ctx.accessError !== null,
        });
        if (skip) {
          await tx.fixItem.update({ where: { id: itemId }, data: { state: "SKIPPED", skipReason: skip } });
          return "skipped";
        }
        const fail = async (error: string) => {
          await tx.fixItem.update({
            where: { id: itemId },
            data: { state: "FAILED", error: error.slice(0, 2000) },
          });
          return "failed" as const;
        };
        if (!ctx.kms) return fail(ctx.accessError ?? "The account has no remediation access.");
        let before: RotationState;
        let after: RotationState;
        let wrote = false;
        try {
          before = await readRotation(ctx.kms, item.keyId);
          if (!inTargetState(item, before)) {
            await ctx.pace();
            await ctx.kms.send(writeCommand(item));
            wrote = true;
          }
          after = await readRotation(ctx.kms, item.keyId);
        } catch (err) {
          if (isTransient(err) && !lastTry) throw new Transient(describeError(err));
          return fail(describeError(err));
        }
        await ctx.deps.afterWrite?.(item);
        // Found as the plan wants it after an earlier attempt: that attempt wrote it, and what it was
        // before is what the plan saw. Otherwise what was read before is the key's earlier state.
        const beforeFields =
          wrote || !triedBefore
            ? {
                beforeEnabled: before.enabled,
                beforePeriodDays: before.enabled ? (before.periodDays ?? KMS_DEFAULT_PERIOD_DAYS) : null,
              }
            : {};
        const now = new Date();
        const finding = await recordRotation(tx, key!, after, ctx.maxRotationDays, now);
        await tx.fixItem.update({
          where: { id: itemId },
          data: {
            state: "DONE",
            ...beforeFields,
            afterEnabled: after.enabled,
            afterPeriodDays: after.enabled ? (after.periodDays ?? KMS_DEFAULT_PERIOD_DAYS) : null,
            error: null,
            appliedAt: now,
            verifiedAt: now,
          },
        });
        await audit(tx, {
          actorEmail: item.plan.approvedByEmail ?? "system",
          actorId: item.plan.approvedById,
          action: "fix.key",
          target: item.keyArn,
          details: {
            plan: item.planId,
            call: item.action,
            periodDays: item.periodDays,
            wrote,
            before: {
              enabled: "beforeEnabled" in beforeFields ? beforeFields.beforeEnabled : item.beforeEnabled,
              periodDays:
                "beforePeriodDays" in beforeFields ? beforeFields.beforePeriodDays : item.beforePeriodDays,
            },
            after: { enabled: after.enabled, periodDays: after.periodDays, severity: finding.severity },
          },
        });
        return "done";
      },
      { maxWait: 30_000, timeout: 5 * 60_000 },
    );
  } catch (err) {
    if (err instanceof Transient) {
      logger.info({ item: String(itemId), err: err.message }, "fix: key to retry");
      return "retry";
    }
    throw err;
  }
}
