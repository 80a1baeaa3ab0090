import type { RoleName } from "@/lib/users/schema";
import type { ExceptionRow } from "./list";

/**
 * Which controls a user is offered on an exception. Only hides what would be refused: the
 * service checks again (role, author, owner, account scope) whatever the page offered.
 */
export function exceptionControls(
  user: { email: string; role: RoleName },
  x: Pick<ExceptionRow, "state" | "createdByEmail" | "ownerEmail">,
): { approve: boolean; revoke: boolean; change: boolean } {
  const live = x.state === "pending" || x.state === "active" || x.state === "expiring";
  const mine = x.createdByEmail === user.email || x.ownerEmail === user.email;
  const mayEnd = user.role === "admin" || (user.role === "analyst" && mine);
  return {
    approve: user.role === "admin" && x.state === "pending" && x.createdByEmail !== user.email,
    revoke: live && mayEnd,
    change: live && mayEnd,
  };
}

/** Whether the user may propose exceptions at all (the create form, "Except this key"). */
export const mayPropose = (role: RoleName) => role === "admin" || role === "analyst";
