import Link from "next/link";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { coverageHref } from "@/lib/coverage/filters";
import type { CoverageSummary } from "@/lib/coverage/query";
import { COVERAGE_STATE_LABELS, type CoverageState } from "@/lib/coverage/states";

const linkClass = "font-medium text-primary underline-offset-4 hover:underline";
/** The states that need a person, each a line of the card when it holds account-regions. */
const ATTENTION: CoverageState[] = ["ACCESS_DENIED", "ERROR", "NOT_SCANNED_YET", "STALE"];

/** "412 of 420 account-regions scanned in the last 24 h", and what the others are, each a link to /coverage. */
export function CoverageCard({ summary }: { summary: CoverageSummary }) {
  const attention = ATTENTION.filter((s) => summary.counts[s] > 0);
  return (
    <Card data-testid="coverage-card">
      <CardHeader>
        <CardTitle>Coverage</CardTitle>
        <CardDescription>Account-regions the console should scan, and whether it did.</CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-2 text-sm">
        <Link
          href={coverageHref({ states: attention.length ? attention : [] })}
          className={`${linkClass} text-base`}
          data-testid="coverage-figure"
        >
          {summary.text}
        </Link>
        {attention.length > 0 && (
          <ul className="flex flex-col gap-1">
            {attention.map((s) => (
              <li key={s}>
                <Link href={coverageHref({ states: [s] })} className={linkClass}>
                  {COVERAGE_STATE_LABELS[s]}: {summary.counts[s].toLocaleString("en-US")}
                </Link>
              </li>
            ))}
          </ul>
        )}
      </CardContent>
    </Card>
  );
}
