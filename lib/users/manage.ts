import { audit } from "@/lib/audit/log";
import { hashPassword } from "@/lib/auth/password";
import { clearThrottle } from "@/lib/auth/throttle";
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { passwordSchema, toDbRole, type RoleName } from "./schema";
import { summarize, UserError, userWithScope, type Actor, type UserSummary } from "./service";

// Changes an admin makes to a user. Each one that changes something bumps the user's session
// epoch, so every session issued before ends at its next request (lib/auth/session.ts), and is
// written to the audit log in the same transaction. None leaves the console without an enabled admin.

export interface UserChange {
  user: UserSummary;
  /** False when the user already was in the asked-for state: nothing was written. */
  changed: boolean;
  /** The scope dropped because a scoped viewer became an admin (admins see every account). */
  clearedScope?: string[];
}

type Tx = Prisma.TransactionClient;

const bumpEpoch = { sessionEpoch: { increment: 1 } } as const;

async function loadUser(tx: Tx, userId: string) {
  const user = await tx.user.findUnique({ where: { id: userId }, include: userWithScope });
  if (!user) throw new UserError("That user no longer exists.");
  return user;
}

/**
 * Refuses to take `user` out of the enabled admins when no other is left. The enabled admins' rows
 * are locked first, so two admins demoting each other at the same moment cannot both succeed.
 */
async function keepAnotherAdmin(tx: Tx, userId: string, doing: string): Promise<void> {
  const admins = await tx.$queryRaw<{ id: string; email: string }[]>`
    SELECT id, email FROM users WHERE role = 'ADMIN' AND NOT disabled ORDER BY id FOR UPDATE`;
  const target = admins.find((a) => a.id === userId);
  if (target && admins.length === 1) {
    throw new UserError(
      `${target.email} is the last enabled admin and cannot be ${doing}: make another user an admin first.`,
    );
  }
}

export async function changeRole(
  db: PrismaClient,
  userId: string,
  role: RoleName,
  actor: Actor,
): Promise<UserChange> {
  const result = await db.$transaction(async (tx) => {
    if (role !== "admin")
      await keepAnotherAdmin(tx, userId, `made ${role === "analyst" ? "an analyst" : "a viewer"}`);
    const user = await loadUser(tx, userId);
    if (user.role === toDbRole(role)) return { user: summarize(user), changed: false };
    const clearedScope =
      role === "admin" && user.scoped ? user.accountScopes.map((s) => s.accountId) : undefined;
    if (clearedScope) await tx.userAccountScope.deleteMany({ where: { userId } });
    const updated = await tx.user.update({
      where: { id: userId },
      data: { role: toDbRole(role), ...(clearedScope ? { scoped: false } : {}), ...bumpEpoch },
      include: userWithScope,
    });
    await audit(tx, {
      ...actor,
      action: "user.role_change",
      target: updated.email,
      details: { role, ...(clearedScope ? { clearedScope } : {}) },
    });
    return { user: summarize(updated), changed: true, clearedScope };
  });
  return result;
}

export async function setDisabled(
  db: PrismaClient,
  userId: string,
  disabled: boolean,
  actor: Actor,
): Promise<UserChange> {
  const result = await db.$transaction(async (tx) => {
    if (disabled) await keepAnotherAdmin(tx, userId, "disabled");
    const user = await loadUser(tx, userId);
    if (user.disabled === disabled) return { user: summarize(user), changed: false };
    // Enabling bumps too: a cookie from before the user was disabled must not come back to life.
    const updated = await tx.user.update({
      where: { id: userId },
      data: { disabled, ...bumpEpoch },
      include: userWithScope,
    });
    await audit(tx, { ...actor, action: disabled ? "user.disable" : "user.enable", target: updated.email });
    return { user: summarize(updated), changed: true };
  });
  return result;
}

export async function resetPassword(
  db: PrismaClient,
  userId: string,
  password: string,
  actor: Actor,
): Promise<UserChange> {
  const parsed = passwordSchema.safeParse(password);
  if (!parsed.success) throw new UserError(parsed.error.issues[0]?.message ?? "Invalid password");
  const passwordHash = await hashPassword(parsed.data);
  const updated = await db.$transaction(async (tx) => {
    const user = await tx.user
      .update({ where: { id: userId }, data: { passwordHash, ...bumpEpoch }, include: userWithScope })
      .catch((err: unknown) => {
        if ((err as { code?: string }).code === "P2025") throw new UserError("That user no longer exists.");
        throw err;
      });
    // Locked out by failed attempts (perhaps why the password was reset): the new one works at once.
    await clearThrottle(tx, user.email);
    await audit(tx, { ...actor, action: "user.password_reset", target: user.email });
    return user;
  });
  return { user: summarize(updated), changed: true };
}
