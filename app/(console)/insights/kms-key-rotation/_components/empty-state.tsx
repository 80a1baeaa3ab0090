import Link from "next/link";
import type { InsightState } from "@/lib/insight-table/query";

/** Why there is no row: no account, no finished scan, no key at all, or filters that match none. */
export function EmptyState({
  state,
  isAdmin,
  clearHref,
}: {
  state: InsightState;
  isAdmin: boolean;
  clearHref: string;
}) {
  let title: string;
  let body: React.ReactNode;
  if (!state.hasAccounts) {
    title = "No AWS accounts yet";
    body = isAdmin ? (
      <>
        Add an account on the{" "}
        <Link href="/accounts" className="text-primary underline">
          Accounts
        </Link>{" "}
        page; its keys appear here after the first scan.
      </>
    ) : (
      "There is no AWS account for you to see yet. An admin adds accounts and can give you access."
    );
  } else if (!state.hasKeys && !state.hasCompletedScan) {
    title = state.scanRunning ? "The first scan is running" : "No scan has finished yet";
    body = (
      <>
        Keys appear here once a scan of your accounts finishes. Progress is on the{" "}
        <Link href="/scans" className="text-primary underline">
          Scans
        </Link>{" "}
        page.
      </>
    );
  } else if (!state.hasKeys) {
    title = "No KMS keys found";
    body = "The scans found no KMS key in your accounts and regions.";
  } else {
    title = "No key matches these filters";
    body = (
      <>
        Change or{" "}
        <Link href={clearHref} className="text-primary underline">
          clear the filters
        </Link>
        . Not applicable keys show only when that severity is chosen, excepted findings only when that status
        is.
      </>
    );
  }
  return (
    <div role="status" className="rounded-md border border-dashed border-border px-6 py-10 text-center">
      <h3 className="font-semibold">{title}</h3>
      <p className="mt-1 text-sm text-muted-foreground">{body}</p>
    </div>
  );
}
