import { Badge } from "@/components/ui/badge";
import type { FixItemState, FixPlanStatus } from "@/lib/generated/prisma/enums";
import { fixStatusWords } from "@/lib/remediation/lifecycle";
import { cn } from "@/lib/utils";

const MUTED = "bg-muted text-foreground";
const PLAN: Record<FixPlanStatus, string> = {
  PLANNED: MUTED,
  APPROVED: "bg-primary text-primary-foreground",
  RUNNING: "bg-primary text-primary-foreground",
  COMPLETED: "bg-ok text-ok-foreground",
  PARTIAL: "bg-warning text-warning-foreground",
  FAILED: "bg-critical text-critical-foreground",
  EXPIRED: MUTED,
  CANCELLED: MUTED,
};

export function FixStatusBadge({ status }: { status: FixPlanStatus }) {
  return (
    <Badge className={cn("border-transparent", PLAN[status])} data-status={status}>
      {fixStatusWords(status)}
    </Badge>
  );
}

const ITEM: Record<FixItemState, { label: string; className: string }> = {
  PENDING: { label: "pending", className: MUTED },
  DONE: { label: "done", className: "bg-ok text-ok-foreground" },
  FAILED: { label: "failed", className: "bg-critical text-critical-foreground" },
  SKIPPED: { label: "skipped", className: MUTED },
};

export function FixItemStateBadge({ state }: { state: FixItemState }) {
  const { label, className } = ITEM[state];
  return (
    <Badge className={cn("border-transparent", className)} data-state={state}>
      {label}
    </Badge>
  );
}
