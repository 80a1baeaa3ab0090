import type { ScanTrigger } from "@/lib/generated/prisma/enums";
import type { AccountScope } from "@/lib/insights/account-scope";
import type { RoleName } from "@/lib/users/schema";

/** Who is looking at scans (the signed-in user: CurrentUser fits). */
export interface ScanViewer {
  email: string;
  role: RoleName;
  accountScope: AccountScope;
}

/**
 * Who started a scan, as this viewer may see it: only an admin sees other users' email addresses;
 * a viewer sees "you" for its own scans and "another user" for the rest.
 */
export function startedBy(
  scan: { trigger: ScanTrigger; requestedBy: string | null },
  viewer: Pick<ScanViewer, "email" | "role">,
): string {
  if (scan.trigger === "SCHEDULED") return "the scheduler";
  if (scan.trigger === "CLI") return "the CLI";
  if (scan.requestedBy === viewer.email) return "you";
  if (viewer.role === "admin") return scan.requestedBy ?? "a user";
  return "another user";
}

/** A Prisma `where` for scans: every scan, or those that listed at least one account in scope. */
export function scanInScope(scope: AccountScope) {
  return scope ? { targets: { some: { accountId: { in: [...scope] } } } } : {};
}
