import Link from "next/link";
import { Table, TableCell, TableRow, TableRowHead } from "@/components/ui/table";
import { EXCEPTION_KIND_LABELS } from "@/lib/insight-table/columns";
import { formatUtcMinute } from "@/lib/insight-table/display-dates";
import { exceptedHref, keyHref } from "@/lib/insight-table/table-href";
import type { ExceptedFinding } from "@/lib/triage/excepted-findings";

const linkClass = "font-medium text-primary underline-offset-4 hover:underline";

/** Failing keys under an exception, apart from the failing figures: what an auditor asks to see. */
export function ExceptedFindingsTable({
  excepted,
  findings,
}: {
  excepted: number;
  findings: ExceptedFinding[];
}) {
  return (
    <section aria-labelledby="excepted-heading" className="flex flex-col gap-3">
      <h2 id="excepted-heading" className="text-base font-semibold">
        Excepted findings
      </h2>
      <p className="text-sm text-muted-foreground">
        {excepted === 0 ? (
          "No failing key is under an exception."
        ) : (
          <>
            <Link href={exceptedHref()} className={linkClass} data-testid="excepted-count">
              {excepted} failing key{excepted === 1 ? " is" : "s are"} under an exception
            </Link>{" "}
            (accepted risk or false positive): they are not counted as failing above
            {findings.length < excepted ? `; the first ${findings.length} are listed` : ""}.
          </>
        )}
      </p>
      {findings.length > 0 && (
        <Table
          caption="Excepted findings with their exceptions"
          columns={["Key", "Account / region", "Exception", "Justification", "Owner", "Expires"]}
        >
          {findings.map((f) => (
            <TableRow key={f.id}>
              <TableRowHead>
                <Link href={keyHref(f.id)} className={linkClass}>
                  {f.keyId}
                </Link>
                {f.aliases.length > 0 && (
                  <span className="block text-xs text-muted-foreground">{f.aliases.join(", ")}</span>
                )}
              </TableRowHead>
              <TableCell>
                {f.accountId} / {f.region}
              </TableCell>
              <TableCell>{EXCEPTION_KIND_LABELS[f.exception.kind]}</TableCell>
              <TableCell className="max-w-md break-words">{f.exception.justification}</TableCell>
              <TableCell>{f.exception.owner}</TableCell>
              <TableCell>{formatUtcMinute(f.exception.expiresAt)}</TableCell>
            </TableRow>
          ))}
        </Table>
      )}
    </section>
  );
}
