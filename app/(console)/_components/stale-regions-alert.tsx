import { Alert } from "@/components/ui/alert";
import { formatUtcMinute } from "@/lib/insight-table/display-dates";
import type { StaleRegion } from "@/lib/scans/stale-regions";

/** Account-regions whose last listing failed: their numbers are older than the last scan. */
export function StaleRegionsAlert({ stale }: { stale: StaleRegion[] }) {
  if (stale.length === 0) return null;
  return (
    <Alert tone="warning">
      <h2 className="font-semibold">
        Older data for {stale.length} account-region{stale.length === 1 ? "" : "s"}
      </h2>
      <p className="mt-1">
        The last attempt to list these keys failed, so the counts below include their keys as they were last
        read.
      </p>
      <ul className="mt-2 list-disc pl-5">
        {stale.map((s) => (
          <li key={`${s.accountId}/${s.region}`}>
            <span className="font-medium">
              {s.accountName} ({s.accountId}), {s.region}
            </span>
            :{" "}
            {s.lastSuccessAt ? `data from ${formatUtcMinute(s.lastSuccessAt)}` : "never listed successfully"}
            {s.lastError && <span className="block break-words">{s.lastError}</span>}
          </li>
        ))}
      </ul>
    </Alert>
  );
}
