import type { AccountScope } from "@/lib/auth/account-scope";

/**
 * A scan's own error may name any account of the estate, so a user limited to some accounts sees
 * only the errors of their own account-regions (the targets), not the scan-wide message.
 */
export function visibleScanError(error: string | null, scope: AccountScope): string | null {
  return scope ? null : error;
}
