import { Alert } from "@/components/ui/alert";
import { Card, CardContent } from "@/components/ui/card";
import { ListTableHead } from "@/components/ui/table";
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
      <Card>
        <CardContent className="overflow-x-auto p-0">
          <table className="w-full text-sm">
            <caption className="sr-only">Audit log entries, newest first</caption>
            <ListTableHead headers={HEADERS} />
            <tbody>
              {result.rows.map((e) => (
                <tr key={e.id} className="border-b border-border align-top">
                  <td className="whitespace-nowrap px-4 py-2">
                    {e.at.toISOString().slice(0, 19).replace("T", " ")}
                  </td>
                  <td className="px-4 py-2">{e.actorEmail ?? "system"}</td>
                  <td className="px-4 py-2 font-mono text-xs">{e.action}</td>
                  <td className="break-all px-4 py-2 font-mono text-xs">{e.target ?? ""}</td>
                  <td className="max-w-md break-all px-4 py-2 font-mono text-xs">
                    {JSON.stringify(e.details)}
                  </td>
                  <td className="px-4 py-2">{e.ip ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </CardContent>
      </Card>
      <AuditPagination filters={filters} page={result.page} pageCount={result.pageCount} />
    </div>
  );
}
