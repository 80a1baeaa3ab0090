import type { AccountScope } from "@/lib/auth/account-scope";
import type { PrismaClient } from "@/lib/generated/prisma/client";

export interface ExceptionFormOptions {
  /** Enabled users, who may own an exception. */
  owners: string[];
  /** The accounts a rule may name: those the user can see. */
  accounts: { id: string; name: string }[];
  /** The regions those accounts are scanned in. */
  regions: string[];
}

/** The choices of the exception form for a user who sees `scope`. */
export async function exceptionFormOptions(
  db: PrismaClient,
  scope: AccountScope,
): Promise<ExceptionFormOptions> {
  const [owners, accounts] = await Promise.all([
    db.user.findMany({ where: { disabled: false }, select: { email: true }, orderBy: { email: "asc" } }),
    db.awsAccount.findMany({
      where: scope ? { id: { in: [...scope] } } : {},
      select: { id: true, name: true, regions: true },
      orderBy: { name: "asc" },
    }),
  ]);
  return {
    owners: owners.map((o) => o.email),
    accounts: accounts.map((a) => ({ id: a.id.trim(), name: a.name })),
    regions: [...new Set(accounts.flatMap((a) => a.regions))].sort(),
  };
}
