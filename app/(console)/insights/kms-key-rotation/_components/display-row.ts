import type { InsightColumnId } from "@/lib/insight-table/columns";
import type { Severity } from "@/lib/verdict/types";

/** A row as the server formatted it: the same cell text as the CSV. */
export interface DisplayRow {
  id: string;
  severity: Severity;
  cells: Record<InsightColumnId, string>;
}
