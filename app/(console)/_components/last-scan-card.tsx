import Link from "next/link";
import { ScanStatusBadge } from "@/components/scans/scan-status-badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { formatUtcMinute } from "@/lib/insight-table/display-dates";
import type { LastScan } from "@/lib/scans/last-scan";

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

export function LastScanCard({ scan }: { scan: LastScan }) {
  const failed = scan.failedTargets.filter((t) => t.status === "FAILED" || t.error);
  const withKeyErrors = scan.failedTargets.filter((t) => !failed.includes(t));
  const keyErrors = withKeyErrors.reduce((sum, t) => sum + t.keyErrors, 0);
  return (
    <Card>
      <CardHeader>
        <CardTitle>Last scan</CardTitle>
        <CardDescription>
          Started {formatUtcMinute(scan.startedAt)}
          {scan.finishedAt ? `, finished ${formatUtcMinute(scan.finishedAt)}` : ", still running"}.
        </CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-3 text-sm">
        <p className="flex items-center gap-2">
          Status: <ScanStatusBadge status={scan.status} />
        </p>
        {scan.error && <p className="break-words text-critical">{scan.error}</p>}
        {failed.length === 0 ? (
          <p className="text-muted-foreground">Every account-region was listed.</p>
        ) : (
          <>
            <h3 className="font-medium">{plural(failed.length, "account-region")} could not be listed</h3>
            <ul className="flex flex-col gap-2">
              {failed.map((t) => (
                <li key={`${t.accountId}/${t.region}`} className="rounded-md border border-border p-2">
                  <span className="font-medium">
                    {t.accountName} ({t.accountId}), {t.region}
                  </span>{" "}
                  <ScanStatusBadge status={t.status} />
                  {t.error && <span className="mt-1 block break-words text-muted-foreground">{t.error}</span>}
                </li>
              ))}
            </ul>
          </>
        )}
        {keyErrors > 0 && (
          <p className="text-muted-foreground">
            {plural(keyErrors, "key")} in {plural(withKeyErrors.length, "account-region")} could not be read
            in full; each key&apos;s page shows what failed.
          </p>
        )}
        <Link href="/scans" className="text-primary underline-offset-4 hover:underline">
          See the scan history
        </Link>
      </CardContent>
    </Card>
  );
}
