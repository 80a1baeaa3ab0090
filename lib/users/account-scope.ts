import { z } from "zod";
import { accountIdSchema } from "@/lib/accounts/schema";
import { audit } from "@/lib/audit/log";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { summarize, UserError, userWithScope, type Actor } from "./service";
import type { UserChange } from "./manage";

const accountIdsSchema = z.array(accountIdSchema).max(1000, "At most 1000 accounts.");

const describe = (ids: string[]) => (ids.length ? ids : "all");

/**
 * Limits what a viewer sees to these accounts; an empty list means every account. Every id must be
 * a configured account. Takes effect at the user's next request (the scope is read per request).
 */
export async function setAccountScope(
  db: PrismaClient,
  userId: string,
  accountIds: string[],
  actor: Actor,
): Promise<UserChange> {
  const parsed = accountIdsSchema.safeParse(accountIds);
  if (!parsed.success) {
    const bad = accountIds.find((id) => !accountIdSchema.safeParse(id).success);
    const what = bad === undefined ? "" : `${JSON.stringify(bad.slice(0, 40))}: `;
    throw new UserError(`${what}${parsed.error.issues[0]?.message ?? "Invalid account ids."}`);
  }
  const ids = [...new Set(parsed.data)].sort();
  const result = await db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId }, include: userWithScope });
    if (!user) throw new UserError("That user no longer exists.");
    if (user.role === "ADMIN" && ids.length) {
      throw new UserError(`${user.email} is an admin and sees every account: make them a viewer first.`);
    }
    // FOR SHARE: an account removed at this moment waits for us, or is gone before we look.
    const found = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM aws_accounts WHERE id = ANY(${ids}::text[]) FOR SHARE`;
    const missing = ids.filter((id) => !found.some((f) => f.id === id));
    if (missing.length) {
      throw new UserError(
        `Not a configured account: ${missing.join(", ")}. Add it on the Accounts page first.`,
      );
    }
    const before = user.accountScopes.map((s) => s.accountId);
    if (before.join() === ids.join()) return { user: summarize(user), changed: false };
    await tx.userAccountScope.deleteMany({ where: { userId } });
    await tx.userAccountScope.createMany({ data: ids.map((accountId) => ({ userId, accountId })) });
    const updated = await tx.user.findUniqueOrThrow({ where: { id: userId }, include: userWithScope });
    await audit(tx, {
      ...actor,
      action: "user.scope_change",
      target: updated.email,
      details: { from: describe(before), to: describe(ids) },
    });
    return { user: summarize(updated), changed: true };
  });
  return result;
}
