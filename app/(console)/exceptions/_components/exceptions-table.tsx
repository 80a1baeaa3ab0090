import Link from "next/link";
import { Table, TableCell, TableEmptyRow, TableRow, TableRowHead } from "@/components/ui/table";
import type { ExceptionRow } from "@/lib/exceptions/list";
import { describeScope } from "@/lib/exceptions/service";
import { EXCEPTION_KIND_LABELS } from "@/lib/insight-table/columns";
import { expiryDay, StateBadge, TicketLink } from "./exception-cells";

const COLUMNS = [
  "Justification",
  "State",
  "Kind",
  "Scope",
  "Owner",
  "Created by",
  "Expires",
  "Ticket",
  { label: "Findings excepted now", numeric: true },
] as const;

export function ExceptionsTable({ rows }: { rows: ExceptionRow[] }) {
  return (
    <Table caption="Exceptions" columns={COLUMNS}>
      {rows.length === 0 ? (
        <TableEmptyRow colSpan={COLUMNS.length}>No exception in these states.</TableEmptyRow>
      ) : (
        rows.map((x) => (
          <TableRow key={x.id} data-exception={x.id}>
            <TableRowHead className="max-w-sm">
              <Link href={`/exceptions/${x.id}`} className="text-primary underline">
                {x.justification}
              </Link>
              {x.version > 1 ? (
                <div className="text-xs text-muted-foreground">version {x.version}</div>
              ) : null}
            </TableRowHead>
            <TableCell>
              <StateBadge state={x.state} />
            </TableCell>
            <TableCell className="whitespace-nowrap">{EXCEPTION_KIND_LABELS[x.kind]}</TableCell>
            <TableCell className="max-w-xs break-words">{describeScope(x.scope)}</TableCell>
            <TableCell>{x.ownerEmail}</TableCell>
            <TableCell>{x.createdByEmail}</TableCell>
            <TableCell className="whitespace-nowrap">{expiryDay(x.expiresAt)}</TableCell>
            <TableCell className="max-w-xs break-all">
              <TicketLink url={x.ticketUrl} />
            </TableCell>
            <TableCell numeric>{x.keysCovered}</TableCell>
          </TableRow>
        ))
      )}
    </Table>
  );
}
