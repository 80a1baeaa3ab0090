import type { ScanTrigger } from "@/lib/generated/prisma/enums";
import type { AccountScope } from "@/lib/auth/account-scope";
import type { RoleName } from "@/lib/users/schema";

/** Who is looking at scans (the signed-in user: CurrentUser fits). */
export interface ScanViewer {
  email: string;
  role: RoleName;
  accountScope: AccountScope;
}

/**
 * Who started a scan, said plainly: "the scheduler", "the CLI", or the person. Only an admin sees
 * other users' email addresses (README: a viewer sees no other user's email); anyone else reads
 * "an admin" (only admins start scans from the console). One's own scans read "you (email)".
 */
export function startedBy(
  scan: { trigger: ScanTrigger; requestedBy: string | null },
  viewer: Pick<ScanViewer, "email" | "role">,
): string {
  if (scan.trigger === "SCHEDULED") return "the scheduler";
  if (scan.trigger === "CLI") return "the CLI";
  if (scan.requestedBy === viewer.email) return `you (${viewer.email})`;
  if (viewer.role === "admin") return scan.requestedBy ?? "a user";
  return "an admin";
}

/** A Prisma `where` for scans: every scan, or those that listed at least one account in scope. */
export function scanInScope(scope: AccountScope) {
  return scope ? { targets: { some: { accountId: { in: [...scope] } } } } : {};
}
