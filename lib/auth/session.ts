import "server-only";
import { getServerSession } from "next-auth";
import { redirect } from "next/navigation";
import { cache } from "react";
import { prisma } from "@/lib/db";
import type { AccountScope } from "@/lib/auth/account-scope";
import { accountScopeOf } from "@/lib/users/account-scope";
import { fromDbRole, type RoleName } from "@/lib/users/schema";
import { authOptions } from "./options";
import { findActiveSession } from "./sessions";

export interface CurrentUser {
  id: string;
  email: string;
  name: string | null;
  role: RoleName;
  /** Account ids this user may see; null means every account, an empty list none. */
  accountScope: AccountScope;
}

export class AuthError extends Error {
  constructor(
    readonly status: 401 | 403,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The signed-in user, re-read from the database on every request: a signed-out or expired session,
 * a disabled user, a changed role or a reset password takes effect at once, whatever the session
 * cookie says.
 */
export const getCurrentUser = cache(async (): Promise<CurrentUser | null> => {
  const session = await getServerSession(authOptions);
  const sid = session?.user?.sid;
  if (!sid) return null;
  const active = await findActiveSession(prisma, sid);
  const user = active?.user;
  if (!user || user.id !== session.user.id || user.disabled || user.sessionEpoch !== session.user.epoch) {
    return null;
  }
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: fromDbRole(user.role),
    accountScope: accountScopeOf(user),
  };
});

export async function requireUser(): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) throw new AuthError(401, "Sign in to continue.");
  return user;
}

/**
 * For the console's layout and pages: the signed-in user, or a redirect to the sign-in page (a
 * session ended on the server while its cookie is still sent) rather than an error thrown, which
 * Next.js would also log with its stack.
 */
export async function requirePageUser(): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) redirect("/login");
  return user;
}

export async function requireAdmin(): Promise<CurrentUser> {
  const user = await requireUser();
  if (user.role !== "admin") throw new AuthError(403, "Only an admin can do this.");
  return user;
}

/**
 * For route handlers: the user that `require` accepts, or the JSON answer that refuses the
 * request (401 signed out, 403 not allowed). Anything else is thrown on.
 */
export async function userForRoute(require: () => Promise<CurrentUser>): Promise<CurrentUser | Response> {
  try {
    return await require();
  } catch (err) {
    if (err instanceof AuthError) return Response.json({ error: err.message }, { status: err.status });
    throw err;
  }
}
