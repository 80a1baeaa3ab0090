import type { Metadata } from "next";
import Link from "next/link";
import { forbidden } from "next/navigation";
import { PageHeader } from "@/components/shell/page-header";
import { Alert } from "@/components/ui/alert";
import { Table, TableCell, TableEmptyRow, TableRow } from "@/components/ui/table";
import {
  DELIVERY_PAGE_SIZE,
  DELIVERY_STATUSES,
  deliveryLogHref,
  fetchDeliveryLog,
  parseDeliveryLogFilters,
  type DeliveryLogRow,
} from "@/lib/alerts/delivery-log";
import { requirePageUser } from "@/lib/auth/session";
import { prisma } from "@/lib/db";
import { cn } from "@/lib/utils";

export const metadata: Metadata = { title: "Alert delivery log" };

const COLUMNS = ["Created", "Message", "Destination", "Status", "Attempts"];
const STATUS_WORDS: Record<DeliveryLogRow["status"], string> = {
  SENT: "Sent",
  FAILED: "Failed",
  RETRYING: "Retrying",
  PENDING: "Pending",
};
const linkClass = "rounded-md border border-border bg-card px-3 py-1.5 hover:bg-muted";
const time = (d: Date) => d.toISOString().replace("T", " ").slice(0, 19) + " UTC";

export default async function DeliveriesPage(props: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requirePageUser();
  if (user.role !== "admin") forbidden();
  const filters = parseDeliveryLogFilters(await props.searchParams);
  const { rows, total } = await fetchDeliveryLog(prisma, filters);
  const pageCount = Math.max(1, Math.ceil(total / DELIVERY_PAGE_SIZE));
  return (
    <div className="flex flex-col gap-4">
      <PageHeader
        title="Alert delivery log"
        description={
          <>
            Every alert message and test, newest first: sent, retrying (with backoff), or failed with the
            reason. Destinations and rules are on the{" "}
            <Link className="text-primary underline" href="/alerts">
              Alerts
            </Link>{" "}
            page.
          </>
        }
      />
      <nav aria-label="Filter by status" className="flex flex-wrap gap-2 text-sm">
        {[null, ...DELIVERY_STATUSES].map((s) => (
          <Link
            key={s ?? "all"}
            href={deliveryLogHref({ status: s, page: 1 })}
            aria-current={filters.status === s ? "page" : undefined}
            className={cn(linkClass, filters.status === s && "bg-muted font-medium")}
          >
            {s ? STATUS_WORDS[s.toUpperCase() as DeliveryLogRow["status"]] : "All"}
          </Link>
        ))}
      </nav>
      {filters.notices.length ? (
        <Alert tone="warning">
          <ul className="list-inside list-disc">
            {filters.notices.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        </Alert>
      ) : null}
      <Table caption="Alert deliveries" columns={COLUMNS}>
        {rows.length === 0 ? <TableEmptyRow colSpan={COLUMNS.length}>No message yet.</TableEmptyRow> : null}
        {rows.map((r) => (
          <TableRow key={r.id}>
            <TableCell className="whitespace-nowrap">{time(r.createdAt)}</TableCell>
            <TableCell>
              <div className="font-medium">{r.title}</div>
              <div className="text-xs text-muted-foreground">
                {r.isTest ? "Test" : `Rule ${r.ruleName ?? "(removed)"}`}
                {r.scanId ? `, scan ${r.scanId}` : ""}
              </div>
            </TableCell>
            <TableCell>{r.destinationName}</TableCell>
            <TableCell>
              <div className="font-medium">{STATUS_WORDS[r.status]}</div>
              {r.sentAt ? <div className="text-xs text-muted-foreground">{time(r.sentAt)}</div> : null}
              {r.status !== "SENT" && r.lastError ? <div className="text-xs">{r.lastError}</div> : null}
            </TableCell>
            <TableCell>
              {r.attempts === 0 ? (
                "None yet"
              ) : (
                <ol className="grid gap-0.5 text-xs">
                  {r.attemptLog.map((a) => (
                    <li key={a.attempt}>
                      {a.attempt}. {time(a.at)}: {a.ok ? "sent" : `failed: ${a.error ?? "unknown error"}`}
                    </li>
                  ))}
                </ol>
              )}
            </TableCell>
          </TableRow>
        ))}
      </Table>
      {pageCount > 1 ? (
        <nav aria-label="Delivery log pages" className="flex items-center gap-3 text-sm">
          {filters.page > 1 ? (
            <Link href={deliveryLogHref({ ...filters, page: filters.page - 1 })} className={linkClass}>
              Newer
            </Link>
          ) : null}
          <span aria-current="page">
            Page {filters.page} of {pageCount}
          </span>
          {filters.page < pageCount ? (
            <Link href={deliveryLogHref({ ...filters, page: filters.page + 1 })} className={linkClass}>
              Older
            </Link>
          ) : null}
        </nav>
      ) : null}
    </div>
  );
}
