import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/shell/page-header";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { requirePageUser } from "@/lib/auth/session";
import { prisma } from "@/lib/db";
import { mayPropose } from "@/lib/exceptions/controls";
import {
  EXCEPTIONS_PAGE_SIZE,
  EXPIRING_DAYS,
  exceptionsHref,
  listExceptions,
  parseExceptionFilters,
} from "@/lib/exceptions/list";
import { ExceptionsTable } from "./_components/exceptions-table";
import { StateLinks } from "./_components/state-links";

export const metadata: Metadata = { title: "Exceptions" };

export default async function ExceptionsPage(props: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requirePageUser();
  const { filters, notices } = parseExceptionFilters(await props.searchParams);
  const { rows, total } = await listExceptions(prisma, filters, user.accountScope);
  const pages = Math.max(1, Math.ceil(total / EXCEPTIONS_PAGE_SIZE));
  return (
    <div className="flex flex-col gap-4">
      <PageHeader
        title="Exceptions"
        description={`Accepted risks and false positives: an exception in force takes the findings it covers out of the open counts until it expires or is revoked. Expiring: ends within ${EXPIRING_DAYS} days.`}
        actions={
          mayPropose(user.role) ? (
            <Button asChild>
              <Link href="/exceptions/new">New exception</Link>
            </Button>
          ) : undefined
        }
      />
      <StateLinks current={filters.states} />
      {notices.length ? (
        <Alert tone="warning">
          <ul className="list-inside list-disc">
            {notices.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        </Alert>
      ) : null}
      <p className="text-sm text-muted-foreground" data-testid="exceptions-total">
        {total === 1 ? "1 exception" : `${total} exceptions`}
      </p>
      <ExceptionsTable rows={rows} />
      {pages > 1 ? (
        <nav aria-label="Pages" className="flex items-center gap-3 text-sm">
          {filters.page > 1 ? (
            <Link
              href={exceptionsHref({ ...filters, page: filters.page - 1 })}
              className="text-primary underline"
            >
              Previous
            </Link>
          ) : null}
          <span>
            Page {filters.page} of {pages}
          </span>
          {filters.page < pages ? (
            <Link
              href={exceptionsHref({ ...filters, page: filters.page + 1 })}
              className="text-primary underline"
            >
              Next
            </Link>
          ) : null}
        </nav>
      ) : null}
    </div>
  );
}
