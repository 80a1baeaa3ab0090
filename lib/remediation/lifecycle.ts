import { audit, SYSTEM } from "@/lib/audit/log";
import type { FixPlan, FixPlanStatus, Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { getSettings } from "@/lib/settings";
import { hasRemediationAccess } from "./access";
import { FixError, requireFixAdmin, type FixActor } from "./actor";
import { recheckItem } from "./recheck";

// A plan's life: PLANNED → APPROVED (an admin types the number of keys) → RUNNING → COMPLETED,
// PARTIAL or FAILED; PLANNED → EXPIRED after 7 days, or CANCELLED. Each step is checked and
// audited in one transaction, on the plan row locked, so two admins never both approve or start it.

type Tx = Prisma.TransactionClient;

/** Plans not approved in time become EXPIRED (audited as the system). Returns how many. */
export async function expireFixPlans(db: PrismaClient, now = new Date()): Promise<number> {
  return db.$transaction(async (tx) => {
    const expired = await tx.fixPlan.findMany({
      where: { status: "PLANNED", expiresAt: { lte: now } },
      select: { id: true },
    });
    if (!expired.length) return 0;
    await tx.fixPlan.updateMany({
      where: { id: { in: expired.map((p) => p.id) }, status: "PLANNED" },
      data: { status: "EXPIRED", finishedAt: now },
    });
    for (const p of expired) await audit(tx, { ...SYSTEM, action: "fix.expire", target: p.id });
    return expired.length;
  });
}

/** Locks a plan, then reads it: judged as a change it waited for left it. */
export async function lockedPlan(tx: Tx, id: string): Promise<FixPlan> {
  const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM fix_plans WHERE id = ${id} FOR UPDATE`;
  if (!locked.length) throw new FixError(`There is no fix plan ${id}.`);
  return tx.fixPlan.findUniqueOrThrow({ where: { id } });
}

const STATUS_WORDS: Record<FixPlanStatus, string> = {
  PLANNED: "waiting for approval",
  APPROVED: "approved",
  RUNNING: "running",
  COMPLETED: "completed",
  PARTIAL: "completed with failures",
  FAILED: "failed",
  EXPIRED: "expired",
  CANCELLED: "cancelled",
};
export const fixStatusWords = (status: FixPlanStatus) => STATUS_WORDS[status];

/** Why `actor` may not approve `plan` now, or null. Shown by the plan page before they try. */
export function approvalRefusal(
  plan: Pick<FixPlan, "status" | "expiresAt" | "createdById" | "createdByEmail" | "changeCount">,
  actor: FixActor,
  requireSecondPerson: boolean,
  now = new Date(),
): string | null {
  if (actor.role !== "ADMIN") return "Only admins can approve fixes.";
  if (plan.status === "PLANNED" && plan.expiresAt <= now)
    return "This plan has expired (not approved within 7 days): plan the fix again.";
  if (plan.status !== "PLANNED")
    return `This plan is ${STATUS_WORDS[plan.status]}: only a plan waiting for approval can be approved.`;
  if (plan.changeCount === 0) return "This plan changes no key: there is nothing to approve.";
  const own =
    (plan.createdById !== null && plan.createdById === actor.actorId) ||
    plan.createdByEmail === actor.actorEmail;
  if (requireSecondPerson && own)
    return "Fixes need a second person: another admin must approve the plan you made.";
  return null;
}

/** Approves a plan: an admin other than its planner (under the setting) types its number of keys. */
export async function approveFixPlan(
  db: PrismaClient,
  id: string,
  typedCount: number,
  actor: FixActor,
  now = new Date(),
): Promise<FixPlan> {
  requireFixAdmin(actor);
  await expireFixPlans(db, now);
  return db.$transaction(async (tx) => {
    const plan = await lockedPlan(tx, id);
    const refusal = approvalRefusal(plan, actor, (await getSettings(tx))["fixes.requireSecondPerson"], now);
    if (refusal) throw new FixError(refusal);
    if (typedCount !== plan.changeCount)
      throw new FixError(
        `Type the number of keys this plan changes (${plan.changeCount}) to approve it.`,
        "count",
      );
    const approved = await tx.fixPlan.update({
      where: { id },
      data: {
        status: "APPROVED",
        approvedById: actor.actorId ?? null,
        approvedByEmail: actor.actorEmail,
        approvedAt: now,
      },
    });
    await audit(tx, { ...actor, action: "fix.approve", target: id, details: { keys: plan.changeCount } });
    return approved;
  });
}

/** Cancels a plan not yet run (admins). */
export async function cancelFixPlan(
  db: PrismaClient,
  id: string,
  actor: FixActor,
  now = new Date(),
): Promise<void> {
  requireFixAdmin(actor);
  await db.$transaction(async (tx) => {
    const plan = await lockedPlan(tx, id);
    if (plan.status !== "PLANNED" && plan.status !== "APPROVED")
      throw new FixError(
        `This plan is ${STATUS_WORDS[plan.status]}: only a plan not yet run can be cancelled.`,
      );
    await tx.fixPlan.update({
      where: { id },
      data: { status: "CANCELLED", cancelledByEmail: actor.actorEmail, finishedAt: now },
    });
    await audit(tx, { ...actor, action: "fix.cancel", target: id });
  });
}

/** One queued job of a run: the plan's pending keys of one account-region. */
export interface FixJob {
  planId: string;
  accountId: string;
  region: string;
}

/**
 * Starts an approved plan, or resumes a running one (admins): every pending key is judged again
 * from its current row (those that now should be skipped are, with their reason); returns the
 * account-regions that still have keys to write, for the caller to queue.
 */
export async function startFixRun(
  db: PrismaClient,
  id: string,
  actor: FixActor,
  now = new Date(),
): Promise<{ jobs: FixJob[]; resumed: boolean }> {
  requireFixAdmin(actor);
  const result = await db.$transaction(
    async (tx) => {
      const plan = await lockedPlan(tx, id);
      if (plan.status !== "APPROVED" && plan.status !== "RUNNING")
        throw new FixError(
          plan.status === "PLANNED"
            ? "This plan is waiting for approval: an admin approves it first."
            : `This plan is ${STATUS_WORDS[plan.status]}: there is nothing to run.`,
        );
      const resumed = plan.status === "RUNNING";
      await recheckPending(tx, plan);
      await tx.fixPlan.update({
        where: { id },
        data: { status: "RUNNING", ...(resumed ? {} : { startedAt: now }) },
      });
      const jobs = await tx.fixItem.groupBy({
        by: ["accountId", "region"],
        where: { planId: id, state: "PENDING" },
        orderBy: [{ accountId: "asc" }, { region: "asc" }],
      });
      await audit(tx, {
        ...actor,
        action: "fix.run",
        target: id,
        details: { resumed, accountRegions: jobs.length },
      });
      return { jobs: jobs.map((j) => ({ planId: id, accountId: j.accountId, region: j.region })), resumed };
    },
    { maxWait: 10_000, timeout: 120_000 },
  );
  if (!result.jobs.length) await finishFixPlan(db, id);
  return result;
}

/** The pending keys that now should be skipped are, with their reason. */
async function recheckPending(tx: Tx, plan: FixPlan): Promise<void> {
  const items = await tx.fixItem.findMany({ where: { planId: plan.id, state: "PENDING" } });
  if (!items.length) return;
  const maxRotationDays = (await getSettings(tx))["policy.maxRotationDays"];
  const keys = new Map(
    (await tx.kmsKey.findMany({ where: { arn: { in: items.map((i) => i.keyArn) } } })).map((k) => [k.arn, k]),
  );
  const access = new Map(
    (
      await tx.awsAccount.findMany({
        where: { id: { in: [...new Set(items.map((i) => i.accountId))] } },
        select: { id: true, remediationMethod: true },
      })
    ).map((a) => [a.id, hasRemediationAccess(a)]),
  );
  for (const item of items) {
    const reason = recheckItem(plan.kind, item, keys.get(item.keyArn) ?? null, {
      maxRotationDays,
      hasRemediationAccess: access.get(item.accountId) ?? false,
    });
    if (reason)
      await tx.fixItem.update({ where: { id: item.id }, data: { state: "SKIPPED", skipReason: reason } });
  }
}

/**
 * Ends a running plan once no key is pending: COMPLETED when none failed, PARTIAL when some were
 * changed and some failed, FAILED when every key it tried failed.
 */
export async function finishFixPlan(db: PrismaClient | Tx, id: string, now = new Date()): Promise<void> {
  await db.$executeRaw`
    UPDATE fix_plans p SET finished_at = ${now},
      status = (CASE
        WHEN NOT EXISTS (SELECT 1 FROM fix_items i WHERE i.plan_id = p.id AND i.state = 'FAILED') THEN 'COMPLETED'
        WHEN EXISTS (SELECT 1 FROM fix_items i WHERE i.plan_id = p.id AND i.state = 'DONE') THEN 'PARTIAL'
        ELSE 'FAILED' END)::"FixPlanStatus"
    WHERE p.id = ${id} AND p.status = 'RUNNING'
      AND NOT EXISTS (SELECT 1 FROM fix_items i WHERE i.plan_id = p.id AND i.state = 'PENDING')`;
}
