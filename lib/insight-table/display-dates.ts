import { validDate } from "@/lib/verdict/dates";

/** `2026-11-30 08:15 UTC`: the same on the server and in every browser, whatever its time zone. */
export function formatUtcMinute(date: Date | null | undefined): string {
  const valid = validDate(date);
  return valid ? `${valid.toISOString().slice(0, 16).replace("T", " ")} UTC` : "";
}

/** `1.2 s`, `850 ms`, `3 min 5 s`; "" when absent. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return "";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}
