import type { Role } from "@/lib/generated/prisma/enums";
import { z } from "zod";
import { accountIdSchema } from "@/lib/accounts/schema";
import { audit } from "@/lib/audit/log";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { AccountScope } from "@/lib/auth/account-scope";
import { summarize, UserError, userWithScope, type Actor } from "./service";
import type { UserChange } from "./manage";

const accountIdsSchema = z.array(accountIdSchema).max(1000, "At most 1000 accounts.");

/** How a scope reads in the audit log and in messages. */
export const describeScope = (scope: AccountScope) =>
  scope === null ? "all" : scope.length ? [...scope] : "none";

/**
 * What a user may see: every account unless it is a scoped viewer, then only its scope rows. A
 * scoped viewer whose rows are all gone (its accounts removed) sees no account, never every one.
 */
export function accountScopeOf(user: {
  role: Role;
  scoped: boolean;
  accountScopes: { accountId: string }[];
}): AccountScope {
  if (user.role === "ADMIN" || !user.scoped) return null;
  return user.accountScopes.map((s) => s.accountId);
}

/**
 * Sets what a viewer sees: `null` every account (including accounts added later), a list only those
 * accounts (an empty list: none). Every id must be a configured account. Takes effect at the user's
 * next request (the scope is read per request).
 */
export async function setAccountScope(
  db: PrismaClient,
  userId: string,
  accountIds: readonly string[] | null,
  actor: Actor,
): Promise<UserChange> {
  const parsed = accountIdsSchema.safeParse(accountIds ?? []);
  if (!parsed.success) {
    const bad = (accountIds ?? []).find((id) => !accountIdSchema.safeParse(id).success);
    const what = bad === undefined ? "" : `${JSON.stringify(bad.slice(0, 40))}: `;
    throw new UserError(`${what}${parsed.error.issues[0]?.message ?? "Invalid account ids."}`);
  }
  const ids = accountIds === null ? null : [...new Set(parsed.data)].sort();
  const result = await db.$transaction(async (tx) => {
    // The user's row first, as removeAccount does: a removal and a scope change take turns.
    await tx.$queryRaw`SELECT id FROM users WHERE id = ${userId} FOR UPDATE`;
    const user = await tx.user.findUnique({ where: { id: userId }, include: userWithScope });
    if (!user) throw new UserError("That user no longer exists.");
    if (user.role === "ADMIN" && ids) {
      throw new UserError(`${user.email} is an admin and sees every account: make them a viewer first.`);
    }
    // FOR SHARE: an account removed at this moment waits for us, or is gone before we look.
    const found = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM aws_accounts WHERE id = ANY(${ids ?? []}::text[]) FOR SHARE`;
    const missing = (ids ?? []).filter((id) => !found.some((f) => f.id === id));
    if (missing.length) {
      throw new UserError(
        `Not a configured account: ${missing.join(", ")}. Add it on the Accounts page first.`,
      );
    }
    const before = accountScopeOf(user);
    if (JSON.stringify(before) === JSON.stringify(ids))
      return { user: summarize(user), changed: false, before };
    await tx.userAccountScope.deleteMany({ where: { userId } });
    if (ids?.length) {
      await tx.userAccountScope.createMany({ data: ids.map((accountId) => ({ userId, accountId })) });
    }
    const updated = await tx.user.update({
      where: { id: userId },
      data: { scoped: ids !== null },
      include: userWithScope,
    });
    await audit(tx, {
      ...actor,
      action: "user.scope_change",
      target: user.email,
      details: { from: describeScope(before), to: describeScope(ids) },
    });
    return { user: summarize(updated), changed: true, before };
  });
  return { user: result.user, changed: result.changed };
}
