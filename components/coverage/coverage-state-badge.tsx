import { Badge } from "@/components/ui/badge";
import { COVERAGE_STATE_LABELS, type CoverageState } from "@/lib/coverage/states";
import { cn } from "@/lib/utils";

// Words first: the colour only repeats what the badge says.
const TONE: Record<CoverageState, string> = {
  ACCESS_DENIED: "bg-critical text-critical-foreground",
  ERROR: "bg-critical text-critical-foreground",
  NOT_SCANNED_YET: "bg-warning text-warning-foreground",
  STALE: "bg-warning text-warning-foreground",
  SCANNED: "bg-ok text-ok-foreground",
  REGION_NOT_ENABLED: "bg-muted text-foreground",
  EXCLUDED: "bg-muted text-foreground",
};

export function CoverageStateBadge({ state }: { state: CoverageState }) {
  return (
    <Badge className={cn("border-transparent", TONE[state])} data-state={state}>
      {COVERAGE_STATE_LABELS[state]}
    </Badge>
  );
}
