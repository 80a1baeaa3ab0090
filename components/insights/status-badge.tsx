import { Badge } from "@/components/ui/badge";
import { type FindingStatus, STATUS_LABELS } from "@/lib/triage/status";
import { cn } from "@/lib/utils";

// Outlined, unlike the filled severity badges beside them: the status is the finding's state in
// triage, the severity what the rule found.
const STATUS_CLASSES: Record<FindingStatus, string> = {
  open: "border-critical text-critical",
  excepted: "border-border bg-muted text-foreground",
  resolved: "border-ok text-ok",
  passing: "border-border text-muted-foreground",
};

/** A finding's status as a word; `data-status` keeps the value the URL and the filters use. */
export function StatusBadge({ status, className }: { status: FindingStatus; className?: string }) {
  return (
    <Badge variant="outline" className={cn(STATUS_CLASSES[status], className)} data-status={status}>
      {STATUS_LABELS[status]}
    </Badge>
  );
}

/** The mark of an open finding past its due date. */
export function OverdueBadge() {
  return (
    <Badge className="border-transparent bg-critical text-critical-foreground" data-overdue>
      Overdue
    </Badge>
  );
}
