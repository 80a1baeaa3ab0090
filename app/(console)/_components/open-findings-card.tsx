import Link from "next/link";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableCell, TableRow, TableRowHead } from "@/components/ui/table";
import { exceptedHref, overdueHref } from "@/lib/insight-table/table-href";
import type { OpenFindingAges } from "@/lib/triage/open-findings";
import { RESOLVE_WINDOW_DAYS, type TimeToResolve } from "@/lib/triage/time-to-resolve";
import { SEVERITY_LABELS } from "@/lib/verdict/types";

const linkClass = "font-medium text-primary underline-offset-4 hover:underline";
const days = (n: number) => `${n.toFixed(1)} d`;

/** Open findings by age, overdue and excepted counts, and the time to resolve per severity. */
export function OpenFindingsCard({
  ages,
  excepted,
  timeToResolve,
}: {
  ages: OpenFindingAges;
  excepted: number;
  timeToResolve: TimeToResolve[];
}) {
  return (
    <Card>
      <CardHeader>
        <CardTitle>Open findings</CardTitle>
        <CardDescription>
          Failing keys without an exception, by days since they started failing.
        </CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-4">
        <Table
          bare
          caption="Open findings by age"
          columns={[
            { label: "0–7 days", numeric: true },
            { label: "8–30 days", numeric: true },
            { label: "31–90 days", numeric: true },
            { label: "Over 90 days", numeric: true },
          ]}
        >
          <TableRow>
            <TableCell numeric>{ages.days0to7}</TableCell>
            <TableCell numeric>{ages.days8to30}</TableCell>
            <TableCell numeric>{ages.days31to90}</TableCell>
            <TableCell numeric>{ages.over90}</TableCell>
          </TableRow>
        </Table>
        <p className="text-sm">
          <Link href={overdueHref()} className={linkClass} data-testid="overdue-link">
            {ages.overdue} overdue
          </Link>{" "}
          (open past the due date of their severity&apos;s SLA) ·{" "}
          <Link href={exceptedHref()} className={linkClass} data-testid="excepted-link">
            {excepted} excepted
          </Link>{" "}
          (failing, under an exception in force)
        </p>
        {timeToResolve.length === 0 ? (
          <p className="text-sm text-muted-foreground">
            No finding was resolved in the last {RESOLVE_WINDOW_DAYS} days.
          </p>
        ) : (
          <Table
            bare
            caption={`Time to resolve, findings resolved in the last ${RESOLVE_WINDOW_DAYS} days`}
            captionLook="note"
            columns={[
              "Severity",
              { label: "Resolved", numeric: true },
              { label: "Mean", numeric: true },
              { label: "Median", numeric: true },
            ]}
          >
            {timeToResolve.map((t) => (
              <TableRow key={t.severity}>
                <TableRowHead>{SEVERITY_LABELS[t.severity]}</TableRowHead>
                <TableCell numeric>{t.resolved}</TableCell>
                <TableCell numeric>{days(t.meanDays)}</TableCell>
                <TableCell numeric>{days(t.medianDays)}</TableCell>
              </TableRow>
            ))}
          </Table>
        )}
      </CardContent>
    </Card>
  );
}
