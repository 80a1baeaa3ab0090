import Link from "next/link";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import type { AccountSummary } from "@/lib/insight-table/overview";
import { insightTableHref } from "@/lib/insight-table/table-href";
import { SEVERITY_LABELS } from "@/lib/verdict/types";

const linkClass = "font-medium text-primary underline-offset-4 hover:underline";

/** The accounts with the most open critical, then warning, findings; each opens the table on them. */
export function WorstAccountsCard({ accounts }: { accounts: AccountSummary[] }) {
  return (
    <Card data-testid="worst-accounts">
      <CardHeader>
        <CardTitle>Accounts with the most open findings</CardTitle>
        <CardDescription>
          {accounts.length === 0
            ? "No account has an open critical or warning finding."
            : "Open critical findings first, then warnings (excepted findings are not counted)."}
        </CardDescription>
      </CardHeader>
      {accounts.length > 0 && (
        <CardContent>
          <ol className="flex flex-col gap-2 text-sm">
            {accounts.map((a) => (
              <li key={a.id} className="flex flex-wrap items-baseline justify-between gap-x-4">
                <Link
                  href={insightTableHref({ accounts: [a.id], severities: ["CRITICAL", "WARNING"] })}
                  className={linkClass}
                >
                  {a.name} <span className="font-normal text-muted-foreground">{a.id}</span>
                </Link>
                <span className="tabular-nums">
                  <span className="font-semibold text-critical">{a.counts.CRITICAL}</span>{" "}
                  {SEVERITY_LABELS.CRITICAL.toLowerCase()},{" "}
                  <span className="font-semibold">{a.counts.WARNING}</span>{" "}
                  {SEVERITY_LABELS.WARNING.toLowerCase()}
                </span>
              </li>
            ))}
          </ol>
        </CardContent>
      )}
    </Card>
  );
}
