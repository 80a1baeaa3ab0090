import { Badge } from "@/components/ui/badge";
import type { ScanStatus } from "@/lib/generated/prisma/enums";
import { cn } from "@/lib/utils";

const STATUS: Record<ScanStatus, { label: string; className: string }> = {
  QUEUED: { label: "queued", className: "bg-muted text-foreground" },
  RUNNING: { label: "running", className: "bg-primary text-primary-foreground" },
  SUCCEEDED: { label: "succeeded", className: "bg-ok text-ok-foreground" },
  PARTIAL: { label: "partial", className: "bg-warning text-warning-foreground" },
  FAILED: { label: "failed", className: "bg-critical text-critical-foreground" },
};

export function ScanStatusBadge({ status }: { status: ScanStatus }) {
  const { label, className } = STATUS[status];
  return (
    <Badge className={cn("border-transparent", className)} data-status={status}>
      {label}
    </Badge>
  );
}
