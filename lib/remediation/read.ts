import { accountIdInScope, type AccountScope } from "@/lib/auth/account-scope";
import type { FixItem, FixItemState, FixPlan, PrismaClient } from "@/lib/generated/prisma/client";
import { expireFixPlans } from "./lifecycle";

// Reads of fix plans for the console and the CLI: a scoped user sees the plans and keys of their
// accounts only. Plans past their approval deadline are expired first, so no page shows one as
// waiting.

export type ItemCounts = Record<FixItemState, number>;

export interface FixPlanSummary extends FixPlan {
  counts: ItemCounts;
}

const EMPTY_COUNTS: ItemCounts = { PENDING: 0, DONE: 0, FAILED: 0, SKIPPED: 0 };

async function countsOf(db: PrismaClient, planIds: string[], scope: AccountScope) {
  const rows = await db.fixItem.groupBy({
    by: ["planId", "state"],
    where: { planId: { in: planIds }, ...accountIdInScope(scope) },
    _count: { _all: true },
  });
  const counts = new Map<string, ItemCounts>();
  for (const r of rows) {
    const c = counts.get(r.planId) ?? { ...EMPTY_COUNTS };
    c[r.state] = r._count._all;
    counts.set(r.planId, c);
  }
  return counts;
}

/** The newest plans first (at most `limit`). */
export async function listFixPlans(
  db: PrismaClient,
  scope: AccountScope,
  limit = 200,
): Promise<FixPlanSummary[]> {
  await expireFixPlans(db);
  const plans = await db.fixPlan.findMany({
    where: scope ? { items: { some: accountIdInScope(scope) } } : {},
    orderBy: { createdAt: "desc" },
    take: limit,
  });
  const counts = await countsOf(
    db,
    plans.map((p) => p.id),
    scope,
  );
  return plans.map((p) => ({ ...p, counts: counts.get(p.id) ?? { ...EMPTY_COUNTS } }));
}

export interface FixPlanDetail extends FixPlanSummary {
  /** Each key with the id of its row (null: no longer in the console), for a link to its page. */
  items: (FixItem & { keyRowId: string | null })[];
  /** The rollback plans of this fix, newest first. */
  rollbacks: Pick<FixPlan, "id" | "status" | "createdAt">[];
}

/** One plan with its keys in the user's scope (calls first, then skipped), or null. */
export async function fetchFixPlan(
  db: PrismaClient,
  id: string,
  scope: AccountScope,
): Promise<FixPlanDetail | null> {
  await expireFixPlans(db);
  const plan = await db.fixPlan.findUnique({
    where: { id },
    include: {
      items: { where: accountIdInScope(scope), orderBy: [{ action: "asc" }, { id: "asc" }] },
      rollbacks: { select: { id: true, status: true, createdAt: true }, orderBy: { createdAt: "desc" } },
    },
  });
  if (!plan || (scope && !plan.items.length)) return null;
  const counts = { ...EMPTY_COUNTS };
  for (const item of plan.items) counts[item.state]++;
  const rows = await db.kmsKey.findMany({
    where: { arn: { in: plan.items.map((i) => i.keyArn) } },
    select: { id: true, arn: true },
  });
  const rowIds = new Map(rows.map((r) => [r.arn, r.id]));
  const items = plan.items.map((i) => ({ ...i, keyRowId: rowIds.get(i.keyArn) ?? null }));
  return { ...plan, items, counts };
}
