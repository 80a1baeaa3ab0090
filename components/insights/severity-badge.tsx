import { Badge } from "@/components/ui/badge";
import { SEVERITY_LABELS, type Severity } from "@/lib/verdict/types";
import { cn } from "@/lib/utils";

// Each severity colour with its own foreground token: at least 4.5:1 in both themes (WCAG AA, small text).
const SEVERITY_CLASSES: Record<Severity, string> = {
  CRITICAL: "bg-critical text-critical-foreground",
  WARNING: "bg-warning text-warning-foreground",
  OK: "bg-ok text-ok-foreground",
  NOT_APPLICABLE: "bg-na text-na-foreground",
};

/** The severity as a word ("Not applicable"); `data-severity` keeps the code the URL and the CSV use. */
export function SeverityBadge({ severity, className }: { severity: Severity; className?: string }) {
  return (
    <Badge
      className={cn("border-transparent", SEVERITY_CLASSES[severity], className)}
      data-severity={severity}
    >
      {SEVERITY_LABELS[severity]}
    </Badge>
  );
}
