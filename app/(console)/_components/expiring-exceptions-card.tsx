import Link from "next/link";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EXCEPTION_KIND_LABELS } from "@/lib/insight-table/columns";
import { formatUtcMinute } from "@/lib/insight-table/display-dates";
import { EXPIRING_DAYS } from "@/lib/exceptions/list";
import type { ExpiringExceptions } from "@/lib/triage/expiring-exceptions";

/** The Exceptions page's list of those expiring soon (that page is another route). */
export const EXPIRING_EXCEPTIONS_HREF = "/exceptions?state=expiring";

const linkClass = "font-medium text-primary underline-offset-4 hover:underline";

/** Exceptions in force that expire within 14 days: their findings open again then. */
export function ExpiringExceptionsCard({ expiring }: { expiring: ExpiringExceptions }) {
  return (
    <Card data-testid="expiring-exceptions">
      <CardHeader>
        <CardTitle>Exceptions expiring within {EXPIRING_DAYS} days</CardTitle>
        <CardDescription>
          {expiring.total === 0
            ? `No exception in force expires within ${EXPIRING_DAYS} days.`
            : `${expiring.total} exception${expiring.total === 1 ? "" : "s"}: their findings open again when they expire.`}
        </CardDescription>
      </CardHeader>
      {expiring.total > 0 && (
        <CardContent className="flex flex-col gap-3 text-sm">
          <ul className="flex flex-col gap-2">
            {expiring.list.map((x) => (
              <li key={x.id}>
                <span className="font-medium">{formatUtcMinute(x.expiresAt)}</span> ·{" "}
                {EXCEPTION_KIND_LABELS[x.kind]} · {x.keys} key{x.keys === 1 ? "" : "s"} · owner {x.owner}
                <span className="block break-words text-muted-foreground">
                  {x.justification} ({x.scope})
                </span>
              </li>
            ))}
          </ul>
          <Link href={EXPIRING_EXCEPTIONS_HREF} className={linkClass}>
            {expiring.total > expiring.list.length
              ? `All ${expiring.total} expiring exceptions`
              : "Exceptions"}
          </Link>
        </CardContent>
      )}
    </Card>
  );
}
