import { Badge } from "@/components/ui/badge";
import { orgStatusLabel } from "@/lib/organizations/account-status";

/** An organization account that is not scanned, and why (its status, or an OU rule); nothing otherwise. */
export function OrgStatusBadge({
  account,
}: {
  account: { orgStatus: string | null; excludedReason: string | null };
}) {
  const label = orgStatusLabel(account);
  if (!label) return null;
  return (
    <Badge
      variant="secondary"
      className="border-transparent bg-warning text-warning-foreground"
      title={account.excludedReason ?? "Not scanned; its data is kept."}
      data-org-status={account.orgStatus ?? "EXCLUDED"}
    >
      {label}
    </Badge>
  );
}
