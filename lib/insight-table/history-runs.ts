import type { Severity } from "@/lib/verdict/types";

/** One evaluation of a key by one scan. */
export interface HistoryEntry {
  severity: Severity;
  reason: string;
  evaluatedAt: Date;
}

/** Consecutive scans that judged the key the same way: one row "from … to …, N scans". */
export interface HistoryRun {
  severity: Severity;
  reason: string;
  from: Date;
  to: Date;
  scans: number;
}

/** The changes of a key's finding: entries newest first in, runs newest first out. */
export function collapseHistory(entries: readonly HistoryEntry[]): HistoryRun[] {
  const runs: HistoryRun[] = [];
  for (const entry of entries) {
    const newer = runs.at(-1);
    if (newer && newer.severity === entry.severity && newer.reason === entry.reason) {
      newer.from = entry.evaluatedAt;
      newer.scans += 1;
    } else {
      runs.push({
        severity: entry.severity,
        reason: entry.reason,
        from: entry.evaluatedAt,
        to: entry.evaluatedAt,
        scans: 1,
      });
    }
  }
  return runs;
}
