"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import {
  describeProgress,
  progressHeadline,
  scanProgressUrl,
  type ScanProgressJson,
} from "@/lib/scans/progress-wire";
import { cn } from "@/lib/utils";

const POLL_MS = 2000;

async function readProgress(scanId: string): Promise<ScanProgressJson | null | "stop"> {
  try {
    const res = await fetch(scanProgressUrl(scanId), {
      cache: "no-store",
      headers: { Accept: "application/json" },
    });
    // Signed out or refused: nothing more to watch here.
    if (res.status === 401 || res.status === 403) return "stop";
    if (!res.ok) return null;
    return ((await res.json()) as { progress: ScanProgressJson | null }).progress ?? "stop";
  } catch {
    return null; // offline for a moment: try again at the next tick
  }
}

/**
 * The progress of a running scan, read again every 2 s while it runs (only then); when it ends,
 * the page's server data is refreshed once so that its figures include the scan.
 */
export function LiveScanProgress({ initial }: { initial: ScanProgressJson | null }) {
  const router = useRouter();
  const [progress, setProgress] = useState(initial);
  // A scan started since (Scan now re-renders the page): watch that one.
  const [seen, setSeen] = useState(initial?.scanId);
  if (initial && initial.scanId !== seen) {
    setSeen(initial.scanId);
    setProgress(initial);
  }

  useEffect(() => {
    if (!progress?.running) return;
    let cancelled = false;
    const timer = setTimeout(async () => {
      const next = await readProgress(progress.scanId);
      if (cancelled) return;
      if (next === "stop") {
        setProgress({ ...progress, running: false });
        router.refresh();
      } else if (next === null) {
        setProgress({ ...progress });
      } else {
        setProgress(next);
        if (!next.running) router.refresh();
      }
    }, POLL_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [progress, router]);

  if (!progress) return null;
  const percent = progress.targetsTotal
    ? Math.round((100 * progress.targetsDone) / progress.targetsTotal)
    : 0;
  const failed = !progress.running && progress.status !== "SUCCEEDED";
  return (
    <section
      aria-labelledby="scan-progress-heading"
      data-testid="scan-progress"
      data-running={progress.running ? "true" : "false"}
      className="rounded-lg border border-border bg-card p-4 text-sm shadow-sm"
    >
      <h2 id="scan-progress-heading" aria-live="polite" className="font-semibold">
        {progressHeadline(progress)}
      </h2>
      <div
        role="progressbar"
        aria-label="Account-regions done"
        aria-valuemin={0}
        aria-valuemax={progress.targetsTotal}
        aria-valuenow={progress.targetsDone}
        className="mt-2 h-2 w-full overflow-hidden rounded-full bg-muted"
      >
        <div
          className={cn(
            "h-full transition-[width]",
            failed ? "bg-warning" : progress.running ? "bg-primary" : "bg-ok",
          )}
          style={{ width: `${percent}%` }}
        />
      </div>
      <p className="mt-2 text-muted-foreground" data-testid="scan-progress-counts">
        {describeProgress(progress)}.
      </p>
    </section>
  );
}
