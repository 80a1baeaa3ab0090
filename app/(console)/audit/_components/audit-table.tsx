import { Alert } from "@/components/ui/alert";
import { Table, TableCell, TableRow } from "@/components/ui/table";
import type { AuditFilters } from "@/lib/audit/filters";
import { fetchAuditPage } from "@/lib/audit/query";
import { prisma } from "@/lib/db";
import { AuditPagination } from "./audit-pagination";

const HEADERS = ["When (UTC)", "Who", "Action", "Target", "Details", "Address"];

export async function AuditTable({ filters }: { filters: AuditFilters }) {
  const result = await fetchAuditPage(prisma, filters);
  if (result.total === 0)
    return <p className="text-sm text-muted-foreground">No entry matches these filters.</p>;
  return (
    <div className="flex flex-col gap-3">
      {result.page !== filters.page ? (
        <Alert tone="warning">
          There is no page {filters.page}; showing the last page, {result.page}.
        </Alert>
      ) : null}
      <p className="text-sm text-muted-foreground">
        {result.total} entr{result.total === 1 ? "y" : "ies"}, newest first.
      </p>
      <Table
        caption="Audit log entries, newest first"
        columns={HEADERS}
        stickyFirstColumn
        className="min-w-[48rem]"
      >
        {result.rows.map((e) => (
          <TableRow key={e.id}>
            <TableCell className="whitespace-nowrap">
              {e.at.toISOString().slice(0, 19).replace("T", " ")}
            </TableCell>
            <TableCell>{e.actorEmail ?? "system"}</TableCell>
            <TableCell className="font-mono text-xs">{e.action}</TableCell>
            <TableCell className="break-all font-mono text-xs">{e.target ?? ""}</TableCell>
            <TableCell className="max-w-md break-all font-mono text-xs">
              {JSON.stringify(e.details)}
            </TableCell>
            <TableCell>{e.ip ?? ""}</TableCell>
          </TableRow>
        ))}
      </Table>
      <AuditPagination filters={filters} page={result.page} pageCount={result.pageCount} />
    </div>
  );
}
