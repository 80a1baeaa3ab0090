import type { ScanStatus } from "@/lib/generated/prisma/enums";
import type { ScanProgress } from "./progress";

/** A scan's progress as the browser receives it (JSON: the date as ISO text). */
export interface ScanProgressJson extends Omit<ScanProgress, "startedAt"> {
  startedAt: string;
}

export function toProgressJson(progress: ScanProgress): ScanProgressJson {
  return { ...progress, startedAt: progress.startedAt.toISOString() };
}

/** Where the browser reads a scan's progress (route handler app/(console)/scans/progress). */
export function scanProgressUrl(scanId?: string): string {
  return scanId ? `/scans/progress?scan=${encodeURIComponent(scanId)}` : "/scans/progress";
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

const FINISHED: Partial<Record<ScanStatus, string>> = {
  SUCCEEDED: "succeeded",
  PARTIAL: "finished with failures",
  FAILED: "failed",
};

type Counts = Pick<
  ScanProgress,
  "targetsDone" | "targetsTotal" | "keysSoFar" | "failedTargets" | "keyErrors"
>;

/** "3 of 6 account-regions done, 36 keys so far, 1 account-region failed": the same words everywhere. */
export function describeProgress(p: Counts): string {
  const parts = [
    `${p.targetsDone} of ${plural(p.targetsTotal, "account-region")} done`,
    `${plural(p.keysSoFar, "key")} so far`,
  ];
  if (p.failedTargets) parts.push(`${plural(p.failedTargets, "account-region")} failed`);
  if (p.keyErrors) parts.push(`${plural(p.keyErrors, "key")} read with errors`);
  return parts.join(", ");
}

/** "Scan running" / "Scan succeeded": the headline of a progress report. */
export function progressHeadline(p: Pick<ScanProgress, "status" | "running">): string {
  if (p.running) return p.status === "QUEUED" ? "Scan queued" : "Scan running";
  return `Scan ${FINISHED[p.status] ?? p.status.toLowerCase()}`;
}
