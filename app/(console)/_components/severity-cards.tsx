import Link from "next/link";
import { SeverityBadge } from "@/components/insights/severity-badge";
import type { SeverityCounts } from "@/lib/verdict/severity-counts";
import { exceptedHref, insightTableHref } from "@/lib/insight-table/table-href";
import { SEVERITIES } from "@/lib/verdict/types";

const cardClass =
  "flex flex-col gap-2 rounded-lg border border-border bg-card p-4 shadow-sm hover:border-primary/40 hover:bg-muted/40 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-primary/50";

/**
 * One card per severity, one for every key and one for the excepted findings (which the others
 * leave out); each opens the table showing exactly those keys.
 */
export function SeverityCards({
  totals,
  totalKeys,
  excepted,
}: {
  totals: SeverityCounts;
  totalKeys: number;
  excepted: number;
}) {
  return (
    <section aria-labelledby="severity-cards-heading">
      <h2 id="severity-cards-heading" className="sr-only">
        Keys by severity
      </h2>
      <ul className="grid grid-cols-2 gap-4 md:grid-cols-3 xl:grid-cols-6">
        {SEVERITIES.map((severity) => (
          <li key={severity}>
            <Link href={insightTableHref({ severities: [severity] })} className={cardClass}>
              <SeverityBadge severity={severity} className="self-start" />{" "}
              <span className="text-3xl font-semibold tabular-nums">{totals[severity]}</span>{" "}
              <span className="text-xs text-muted-foreground">keys</span>
            </Link>
          </li>
        ))}
        <li>
          <Link href={insightTableHref({ severities: [...SEVERITIES] })} className={cardClass}>
            <span className="text-xs font-semibold uppercase text-muted-foreground">All</span>{" "}
            <span className="text-3xl font-semibold tabular-nums">{totalKeys}</span>{" "}
            <span className="text-xs text-muted-foreground">keys evaluated</span>
          </Link>
        </li>
        <li>
          <Link href={exceptedHref()} className={cardClass} data-testid="excepted-card">
            <span className="text-xs font-semibold uppercase text-muted-foreground">Excepted</span>{" "}
            <span className="text-3xl font-semibold tabular-nums">{excepted}</span>{" "}
            <span className="text-xs text-muted-foreground">failing keys under an exception</span>
          </Link>
        </li>
      </ul>
    </section>
  );
}
