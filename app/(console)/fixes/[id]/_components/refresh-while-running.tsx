"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";

const POLL_MS = 2000;

/** While a run is under way, the page's server data is read again every 2 s (only then). */
export function RefreshWhileRunning({ running }: { running: boolean }) {
  const router = useRouter();
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => router.refresh(), POLL_MS);
    return () => clearInterval(timer);
  }, [running, router]);
  return null;
}
