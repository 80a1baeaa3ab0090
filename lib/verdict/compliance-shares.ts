import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import type { AccountScope } from "@/lib/auth/account-scope";
import { readAfterExpiries } from "@/lib/exceptions/apply";

/**
 * How many of a set of keys a control applies to and how they fare. Every mapped framework judges
 * the same rotation check, so a set of keys has one share for all of them. NOT_APPLICABLE keys
 * (those KMS cannot rotate) are outside the control; a failing key under an exception in force
 * is not counted as failing (as on the rest of the page), and is counted apart as excepted.
 */
export interface ControlShare {
  /** Live keys the control applies to: CRITICAL, WARNING and OK. */
  applicable: number;
  /** applicable − failing: the OK keys and the excepted ones. */
  passing: number;
  /** CRITICAL or WARNING without an exception in force. */
  failing: number;
  /** CRITICAL or WARNING under an exception in force (included in passing). */
  excepted: number;
}

export interface AccountShare extends ControlShare {
  id: string;
  name: string;
}

export interface ComplianceShares {
  total: ControlShare;
  /** Every account in scope, by name, with or without keys. */
  byAccount: AccountShare[];
}

const emptyShare = (): ControlShare => ({ applicable: 0, passing: 0, failing: 0, excepted: 0 });

/** From the count tables (kms_key_counts, exact by triggers): no key is read, at any estate size. */
export async function fetchComplianceShares(
  db: PrismaClient,
  scope: AccountScope,
): Promise<ComplianceShares> {
  const inScope = scope ? Prisma.sql`AND account_id = ANY(${[...scope]}::char(12)[])` : Prisma.empty;
  const [accounts, rows] = await Promise.all([
    db.awsAccount.findMany({
      where: scope ? { id: { in: [...scope] } } : {},
      orderBy: [{ name: "asc" }, { id: "asc" }],
      select: { id: true, name: true },
    }),
    readAfterExpiries(
      db,
      () => db.$queryRaw<{ account_id: string; applicable: number; failing: number; excepted: number }[]>`
        SELECT account_id,
          coalesce(sum(count), 0)::int AS applicable,
          coalesce(sum(count) FILTER (WHERE severity IN ('CRITICAL', 'WARNING') AND status <> 'EXCEPTED'), 0)::int AS failing,
          coalesce(sum(count) FILTER (WHERE status = 'EXCEPTED'), 0)::int AS excepted
        FROM kms_key_counts
        WHERE count > 0 AND severity <> 'NOT_APPLICABLE' ${inScope}
        GROUP BY account_id`,
    ),
  ]);
  const byId = new Map(rows.map((r) => [r.account_id.trim(), r]));
  const total = emptyShare();
  const byAccount = accounts.map((account) => {
    const row = byId.get(account.id);
    const share: AccountShare = { ...account, ...emptyShare() };
    if (row) {
      Object.assign(share, {
        applicable: row.applicable,
        failing: row.failing,
        excepted: row.excepted,
        passing: row.applicable - row.failing,
      });
    }
    for (const k of ["applicable", "passing", "failing", "excepted"] as const) total[k] += share[k];
    return share;
  });
  return { total, byAccount };
}

/**
 * The share passing as a whole percent, never rounded up to 100 while a key fails nor down to 0
 * while one passes; null when the control applies to no key.
 */
export function passingPercent(share: Pick<ControlShare, "applicable" | "passing">): number | null {
  if (share.applicable === 0) return null;
  const exact = (100 * share.passing) / share.applicable;
  if (share.passing === share.applicable) return 100;
  if (share.passing === 0) return 0;
  return Math.min(99, Math.max(1, Math.round(exact)));
}
