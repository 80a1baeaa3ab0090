import type { AccountScope } from "@/lib/auth/account-scope";
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import type { AccountFilters } from "./filters";

// One page of the configured accounts, filtered and counted in the database: the Accounts page
// reads this, whatever the number of accounts (an organization's thousand).

/** Prisma's contains becomes LIKE without escaping: `50%` must not mean "50 and anything". */
const literal = (s: string) => s.replace(/[\\%_]/g, "\\$&");

const STATUS_WHERE: Record<NonNullable<AccountFilters["status"]>, Prisma.AwsAccountWhereInput> = {
  enabled: { enabled: true },
  disabled: { enabled: false },
  suspended: { orgStatus: { in: ["SUSPENDED", "PENDING_CLOSURE", "CLOSED"] } },
  left: { orgStatus: "LEFT" },
  excluded: { excludedReason: { not: null } },
};

export function accountWhere(f: AccountFilters, scope: AccountScope): Prisma.AwsAccountWhereInput {
  const and: Prisma.AwsAccountWhereInput[] = [];
  // A user limited to some accounts sees only those (an empty scope: none).
  if (scope) and.push({ id: { in: [...scope] } });
  if (f.q) {
    const q = { contains: literal(f.q), mode: "insensitive" as const };
    and.push({ OR: [{ id: q }, { name: q }, { email: q }] });
  }
  if (f.organization) and.push({ organizationId: f.organization === "none" ? null : f.organization });
  if (f.ou) and.push({ ouIds: { has: f.ou } });
  if (f.status) and.push(STATUS_WHERE[f.status]);
  return and.length ? { AND: and } : {};
}

export async function fetchAccountPage(db: PrismaClient, filters: AccountFilters, scope: AccountScope) {
  const where = accountWhere(filters, scope);
  const total = await db.awsAccount.count({ where });
  const pageCount = Math.max(1, Math.ceil(total / filters.pageSize));
  // Past the end: the last page (the page says so).
  const page = Math.min(filters.page, pageCount);
  const rows = await db.awsAccount.findMany({
    where,
    orderBy: [{ isDemo: "asc" }, { name: "asc" }, { id: "asc" }],
    skip: (page - 1) * filters.pageSize,
    take: filters.pageSize,
    include: { organization: { select: { name: true } } },
  });
  return { rows, total, page, pageCount };
}
