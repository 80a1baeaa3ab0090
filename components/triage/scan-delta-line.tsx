import Link from "next/link";
import { formatUtcMinute } from "@/lib/insight-table/display-dates";
import { findingChangeHref } from "@/lib/insight-table/table-href";
import { added, removed } from "@/lib/triage/delta-sign";
import type { ScanDelta } from "@/lib/triage/scan-delta";

const linkClass = "font-medium text-primary underline-offset-4 hover:underline";

/**
 * "Since the previous scan: +N new, −M resolved, R reopened" (no sign on a zero), each number a link to the insight
 * table filtered to those findings (the overview and the scans page show the same line).
 */
export function ScanDeltaLine({ delta }: { delta: ScanDelta | null }) {
  if (!delta) return null;
  return (
    <p className="text-sm" data-testid="scan-delta-line">
      Since the previous scan:{" "}
      <Link href={findingChangeHref("new")} className={linkClass}>
        {added(delta.new)} new
      </Link>
      ,{" "}
      <Link href={findingChangeHref("resolved")} className={linkClass}>
        {removed(delta.resolved)} resolved
      </Link>
      ,{" "}
      <Link href={findingChangeHref("reopened")} className={linkClass}>
        {delta.reopened} reopened
      </Link>
      <span className="text-muted-foreground">
        {" "}
        (the scan of {formatUtcMinute(delta.startedAt)}; {delta.stillFailing} still failing)
      </span>
    </p>
  );
}
