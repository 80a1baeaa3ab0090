import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { cache } from "react";
import { PageHeader } from "@/components/shell/page-header";
import { Alert } from "@/components/ui/alert";
import { Table, TableCell, TableRow, TableRowHead } from "@/components/ui/table";
import { requirePageUser } from "@/lib/auth/session";
import { prisma } from "@/lib/db";
import { exceptionControls } from "@/lib/exceptions/controls";
import { fetchException, STATE_LABELS } from "@/lib/exceptions/list";
import { describeScope } from "@/lib/exceptions/service";
import { EXCEPTION_KIND_LABELS } from "@/lib/insight-table/columns";
import { formatUtcMinute } from "@/lib/insight-table/display-dates";
import { FactList } from "../../keys/[id]/_components/fact-list";
import { expiryDay, StateBadge, TicketLink } from "../_components/exception-cells";
import { ExceptionControls } from "./_components/exception-controls";
import { ExceptionKeys } from "./_components/exception-keys";

type Props = {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

const detailFor = cache(async (id: string) => {
  const user = await requirePageUser();
  return { user, detail: await fetchException(prisma, id, user.accountScope) };
});

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { detail } = await detailFor((await params).id);
  return { title: detail ? `Exception ${detail.exception.id}` : "Exception not found" };
}

/** What the author reads after saving: whether it is in force or waits for an admin. */
function savedMessage(state: string, keys: number): string {
  if (state === "pending")
    return "Saved. It is waiting for an admin's approval: its findings stay open until then.";
  if (state === "active" || state === "expiring")
    return `Saved. It is in force and covers ${keys === 1 ? "1 key" : `${keys} keys`} now.`;
  return "Saved.";
}

export default async function ExceptionPage({ params, searchParams }: Props) {
  const { user, detail } = await detailFor((await params).id);
  if (!detail) notFound();
  const x = detail.exception;
  const saved = (await searchParams).saved === "1";
  const controls = exceptionControls(user, x);
  return (
    <div className="flex max-w-5xl flex-col gap-6">
      <PageHeader
        back={{ href: "/exceptions", label: "Back to the exceptions" }}
        title={`${EXCEPTION_KIND_LABELS[x.kind]}: version ${x.version}`}
        description={<StateBadge state={x.state} />}
      />
      {saved ? <Alert tone="info">{savedMessage(x.state, x.keysCovered)}</Alert> : null}
      <section
        aria-labelledby="exception-heading"
        className="rounded-lg border border-border bg-card p-5 shadow-sm"
      >
        <h2 id="exception-heading" className="mb-3 text-base font-semibold">
          Exception
        </h2>
        <FactList
          facts={[
            { term: "State", value: STATE_LABELS[x.state] },
            { term: "Justification", value: <span className="whitespace-pre-wrap">{x.justification}</span> },
            { term: "Scope", value: describeScope(x.scope) },
            { term: "Owner", value: x.ownerEmail },
            { term: "Created", value: `${formatUtcMinute(x.createdAt)} by ${x.createdByEmail}` },
            {
              term: "Approved",
              value: x.approvedAt ? `${formatUtcMinute(x.approvedAt)} by ${x.approvedByEmail}` : "not yet",
            },
            { term: "Expires", value: `${expiryDay(x.expiresAt)} (00:00 UTC)` },
            ...(x.revokedAt
              ? [{ term: "Revoked", value: `${formatUtcMinute(x.revokedAt)} by ${x.revokedByEmail}` }]
              : []),
            ...(x.supersededBy
              ? [
                  {
                    term: "Replaced by",
                    value: (
                      <Link href={`/exceptions/${x.supersededBy}`} className="text-primary underline">
                        the next version
                      </Link>
                    ),
                  },
                ]
              : []),
            { term: "Ticket", value: <TicketLink url={x.ticketUrl} /> },
          ]}
        />
        <div className="mt-4">
          <ExceptionControls id={x.id} {...controls} />
        </div>
      </section>
      <ExceptionKeys detail={detail} />
      {detail.versions.length > 1 ? (
        <Table
          caption="Versions"
          captionLook="title"
          columns={["Version", "State", "Justification", "Expires", "Created by"]}
        >
          {detail.versions.map((v) => (
            <TableRow key={v.id} aria-current={v.id === x.id ? "true" : undefined}>
              <TableRowHead>
                <Link href={`/exceptions/${v.id}`} className="text-primary underline">
                  Version {v.version}
                </Link>
              </TableRowHead>
              <TableCell>
                <StateBadge state={v.state} />
              </TableCell>
              <TableCell className="max-w-sm">{v.justification}</TableCell>
              <TableCell className="whitespace-nowrap">{expiryDay(v.expiresAt)}</TableCell>
              <TableCell>{v.createdByEmail}</TableCell>
            </TableRow>
          ))}
        </Table>
      ) : null}
    </div>
  );
}
