import type { Metadata } from "next";
import { forbidden } from "next/navigation";
import { Suspense } from "react";
import { PageHeader } from "@/components/shell/page-header";
import { Alert } from "@/components/ui/alert";
import { parseAuditFilters, toAuditSearchParams } from "@/lib/audit/filters";
import { listAuditActions } from "@/lib/audit/query";
import { requirePageUser } from "@/lib/auth/session";
import { prisma } from "@/lib/db";
import { AuditFilterForm } from "./_components/audit-filter-form";
import { AuditTable } from "./_components/audit-table";

export const metadata: Metadata = { title: "Audit log" };

export default async function AuditPage(props: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requirePageUser();
  if (user.role !== "admin") forbidden();
  const { filters, notices, refused } = parseAuditFilters(await props.searchParams);
  const actions = await listAuditActions(prisma);
  const exportQuery = toAuditSearchParams({ ...filters, page: 1 }).toString();
  return (
    <div className="flex flex-col gap-4">
      <PageHeader
        title="Audit log"
        description="Who did what, when and from which address. The log is append-only: nothing here can change or remove an entry."
        actions={
          <a
            href={`/audit/export.csv${exportQuery ? `?${exportQuery}` : ""}`}
            className="whitespace-nowrap rounded-md border border-border bg-card px-3 py-2 text-sm hover:bg-muted"
            download
          >
            Export CSV
          </a>
        }
      />
      <AuditFilterForm filters={filters} actions={actions} refused={refused} />
      {notices.length ? (
        <Alert tone="warning">
          <ul className="list-inside list-disc">
            {notices.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        </Alert>
      ) : null}
      <Suspense
        key={toAuditSearchParams(filters).toString()}
        fallback={<p className="text-sm text-muted-foreground">Loading…</p>}
      >
        <AuditTable filters={filters} />
      </Suspense>
    </div>
  );
}
