import { Badge } from "@/components/ui/badge";
import { SEVERITY_LABELS, type Severity } from "@/lib/verdict/types";
import { cn } from "@/lib/utils";

// White on each theme colour has a contrast ratio of at least 4.5:1 (WCAG AA for small text).
const SEVERITY_CLASSES: Record<Severity, string> = {
  CRITICAL: "bg-critical text-white",
  WARNING: "bg-warning text-white",
  OK: "bg-ok text-white",
  NOT_APPLICABLE: "bg-na text-white",
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
