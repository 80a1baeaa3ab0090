import type { InsightColumnId } from "@/lib/insights/columns";
import type { Severity } from "@/lib/insights/types";

/** A row as the server formatted it: the same cell text as the CSV. */
export interface DisplayRow {
  id: string;
  severity: Severity;
  cells: Record<InsightColumnId, string>;
}
