import { audit } from "@/lib/audit/log";
import type { FixAction, FixItemState, KmsKey, Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { exportFilters, parseInsightFilters, toSearchParams } from "@/lib/insight-table/filters";
import { withChangeStart } from "@/lib/insight-table/change-start";
import { whereClause } from "@/lib/insight-table/predicates";
import { getSettings } from "@/lib/settings";
import { KMS_DEFAULT_PERIOD_DAYS } from "@/lib/verdict/rotation-rules";
import { hasRemediationAccess } from "./access";
import { FixError, PLAN_LIFETIME_DAYS, requirePlanner, type FixActor } from "./actor";
import { checkPeriod, judgeKey, type SkipReason } from "./judge";
import { lockedPlan } from "./lifecycle";

// Planning: the chosen keys judged one by one (judge.ts), stored as a plan that lists each key with
// the call it will make or the reason it is skipped, audited in the same transaction.

/** How the keys were chosen: these ARNs, or every key of the insight table's filters. */
export type FixSelection = { keys: string[] } | { filters: string };

/** The most keys one plan holds: a larger selection is refused (narrow the filters). */
export const MAX_PLAN_KEYS = 5_000;

export interface PlannedItem {
  accountId: string;
  region: string;
  keyId: string;
  keyArn: string;
  action: FixAction;
  periodDays: number | null;
  skipReason: SkipReason | null;
  beforeEnabled: boolean | null;
  beforePeriodDays: number | null;
}

type Db = PrismaClient | Prisma.TransactionClient;

/** The ARNs a selection names: given ones as they are, a filter's matches within the planner's scope. */
async function selectedArns(db: Db, selection: FixSelection, actor: FixActor): Promise<string[]> {
  if ("keys" in selection) {
    const arns = [...new Set(selection.keys.map((k) => k.trim()).filter(Boolean))];
    if (!arns.length) throw new FixError("Choose at least one key to fix.", "selection");
    return arns;
  }
  const { filters, notices } = parseInsightFilters(new URLSearchParams(selection.filters));
  if (notices.length) throw new FixError(`The filters could not be read: ${notices.join(" ")}`, "selection");
  const chosen = await withChangeStart((query) => db.$queryRaw(query), exportFilters(filters), actor.scope);
  const rows = await db.$queryRaw<{ arn: string }[]>`
    SELECT k.arn FROM kms_keys k JOIN aws_accounts a ON a.id = k.account_id
    ${whereClause(chosen, actor.scope)}
    ORDER BY k.arn LIMIT ${MAX_PLAN_KEYS + 1}`;
  if (!rows.length) throw new FixError("No key matches these filters.", "selection");
  return rows.map((r) => r.arn);
}

/** The canonical form of a filter selection, as stored with the plan. */
function storedSelection(selection: FixSelection): Prisma.InputJsonValue {
  if ("keys" in selection) return { keys: selection.keys };
  const { filters } = parseInsightFilters(new URLSearchParams(selection.filters));
  return { filters: toSearchParams(exportFilters(filters)).toString() };
}

/**
 * What a fix does to each chosen key. A multi-Region replica is skipped and its primary (when it is
 * in the estate and fixable) is fixed instead; the planner's scope and each account's remediation
 * access are part of the judgement.
 */
export async function judgeSelection(
  db: Db,
  arns: string[],
  opts: { periodDays: number | null; maxRotationDays: number; actor: FixActor },
): Promise<PlannedItem[]> {
  const keys = await db.kmsKey.findMany({ where: { arn: { in: arns } } });
  const unknown = arns.length - keys.length;
  if (unknown > 0)
    throw new FixError(
      unknown === 1
        ? "One of the chosen keys is unknown to the console: choose keys it has scanned."
        : `${unknown} of the chosen keys are unknown to the console: choose keys it has scanned.`,
      "selection",
    );
  const accounts = new Map(
    (
      await db.awsAccount.findMany({
        where: { id: { in: [...new Set(keys.map((k) => k.accountId))] } },
        select: { id: true, remediationMethod: true },
      })
    ).map((a) => [a.id, hasRemediationAccess(a)]),
  );
  const scope = opts.actor.scope ? new Set(opts.actor.scope) : null;
  const judge = (key: KmsKey) =>
    judgeKey(key, {
      maxRotationDays: opts.maxRotationDays,
      periodDays: opts.periodDays,
      inScope: scope === null || scope.has(key.accountId),
      hasRemediationAccess: accounts.get(key.accountId) ?? false,
    });
  const items = new Map<string, PlannedItem>();
  const add = (key: KmsKey, j: ReturnType<typeof judge>) =>
    items.set(key.arn, {
      accountId: key.accountId,
      region: key.region,
      keyId: key.keyId,
      keyArn: key.arn,
      action: j.action,
      periodDays: j.action === "ENABLE_ROTATION" ? j.periodDays : null,
      skipReason: j.action === "SKIP" ? j.reason : null,
      beforeEnabled: key.rotationEnabled,
      beforePeriodDays: key.rotationEnabled ? (key.rotationPeriodDays ?? KMS_DEFAULT_PERIOD_DAYS) : null,
    });
  const primaries: string[] = [];
  for (const key of keys) {
    const j = judge(key);
    add(key, j);
    if (j.action === "SKIP" && j.primaryArn) primaries.push(j.primaryArn);
  }
  const wanted = primaries.filter((arn) => !items.has(arn));
  if (wanted.length) {
    for (const primary of await db.kmsKey.findMany({ where: { arn: { in: wanted } } })) {
      const j = judge(primary);
      if (j.action === "ENABLE_ROTATION") add(primary, j);
    }
  }
  return [...items.values()];
}

/** Stores a plan of `items` with its audit entry; returns its id. */
async function storePlan(
  tx: Prisma.TransactionClient,
  plan: {
    kind: "FIX" | "ROLLBACK";
    rollbackOfId?: string;
    periodDays: number | null;
    selection: Prisma.InputJsonValue;
  },
  items: PlannedItem[],
  actor: FixActor,
  now: Date,
): Promise<string> {
  const changeCount = items.filter((i) => i.action !== "SKIP").length;
  const created = await tx.fixPlan.create({
    data: {
      ...plan,
      createdById: actor.actorId ?? null,
      createdByEmail: actor.actorEmail,
      createdAt: now,
      expiresAt: new Date(now.getTime() + PLAN_LIFETIME_DAYS * 86_400_000),
      changeCount,
      skipCount: items.length - changeCount,
    },
  });
  await tx.fixItem.createMany({
    data: items.map((i) => ({
      planId: created.id,
      ...i,
      state: (i.action === "SKIP" ? "SKIPPED" : "PENDING") satisfies FixItemState,
    })),
  });
  await audit(tx, {
    ...actor,
    action: "fix.plan",
    target: created.id,
    details: {
      kind: plan.kind,
      ...(plan.rollbackOfId ? { rollbackOf: plan.rollbackOfId } : {}),
      periodDays: plan.periodDays,
      keys: changeCount,
      skipped: items.length - changeCount,
    },
  });
  return created.id;
}

/**
 * Plans a fix of the chosen keys (analysts and admins): EnableKeyRotation with `periodDays`
 * (null: the policy's maximum) for each key that needs it, the others listed with their reason.
 */
export async function planFix(
  db: PrismaClient,
  input: { selection: FixSelection; periodDays: number | null },
  actor: FixActor,
  now = new Date(),
): Promise<{ id: string; changeCount: number; skipCount: number }> {
  requirePlanner(actor);
  return db.$transaction(
    async (tx) => {
      const maxRotationDays = (await getSettings(tx))["policy.maxRotationDays"];
      const period = checkPeriod(input.periodDays, maxRotationDays);
      if (!period.ok) throw new FixError(period.message, "period");
      const arns = await selectedArns(tx, input.selection, actor);
      if (arns.length > MAX_PLAN_KEYS)
        throw new FixError(
          `A plan holds at most ${MAX_PLAN_KEYS} keys: narrow the selection (an account, a region, a severity).`,
          "selection",
        );
      const items = await judgeSelection(tx, arns, {
        periodDays: period.periodDays,
        maxRotationDays,
        actor,
      });
      const id = await storePlan(
        tx,
        { kind: "FIX", periodDays: period.periodDays, selection: storedSelection(input.selection) },
        items,
        actor,
        now,
      );
      const changeCount = items.filter((i) => i.action !== "SKIP").length;
      return { id, changeCount, skipCount: items.length - changeCount };
    },
    { maxWait: 10_000, timeout: 120_000 },
  );
}

/**
 * Plans the rollback of a completed or partial fix (analysts and admins): DisableKeyRotation where
 * the fix turned rotation on, EnableKeyRotation with the earlier period where it changed the period.
 * It goes through the same approval and run as any plan.
 */
export async function planRollback(
  db: PrismaClient,
  planId: string,
  actor: FixActor,
  now = new Date(),
): Promise<{ id: string; changeCount: number }> {
  requirePlanner(actor);
  return db.$transaction(async (tx) => {
    // The fix is locked before anything is read: two rollbacks planned at once would otherwise
    // both find none under way.
    const plan = await lockedPlan(tx, planId);
    if (plan.kind !== "FIX")
      throw new FixError("A rollback cannot itself be rolled back: plan a fix instead.");
    if (plan.status !== "COMPLETED" && plan.status !== "PARTIAL")
      throw new FixError("Only a completed or partly completed fix can be rolled back.");
    const open = await tx.fixPlan.findFirst({
      where: { rollbackOfId: planId, status: { in: ["PLANNED", "APPROVED", "RUNNING"] } },
      select: { id: true },
    });
    if (open) throw new FixError(`This fix already has a rollback under way: plan ${open.id}.`);
    const done = await tx.fixItem.findMany({ where: { planId, state: "DONE" }, orderBy: { id: "asc" } });
    const scope = actor.scope ? new Set(actor.scope) : null;
    if (scope && done.some((i) => !scope.has(i.accountId)))
      throw new FixError("This fix changed keys outside your account scope: an admin can roll it back.");
    const items: PlannedItem[] = done.flatMap((i): PlannedItem[] => {
      const changedPeriod = i.beforeEnabled === true && i.beforePeriodDays !== i.afterPeriodDays;
      if (i.beforeEnabled !== false && !changedPeriod) return [];
      return [
        {
          accountId: i.accountId,
          region: i.region,
          keyId: i.keyId,
          keyArn: i.keyArn,
          action: i.beforeEnabled === false ? "DISABLE_ROTATION" : "ENABLE_ROTATION",
          periodDays: i.beforeEnabled === false ? null : (i.beforePeriodDays ?? KMS_DEFAULT_PERIOD_DAYS),
          skipReason: null,
          beforeEnabled: i.afterEnabled,
          beforePeriodDays: i.afterPeriodDays,
        },
      ];
    });
    if (!items.length) throw new FixError("This fix changed no key: there is nothing to roll back.");
    const id = await storePlan(
      tx,
      { kind: "ROLLBACK", rollbackOfId: planId, periodDays: null, selection: { rollbackOf: planId } },
      items,
      actor,
      now,
    );
    return { id, changeCount: items.length };
  });
}
