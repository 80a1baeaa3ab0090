import type { Metadata } from "next";
import Link from "next/link";
import { FixStatusBadge } from "@/components/fixes/fix-badges";
import { PageHeader } from "@/components/shell/page-header";
import { Table, TableCell, TableEmptyRow, TableRow, TableRowHead } from "@/components/ui/table";
import { requirePageUser } from "@/lib/auth/session";
import { prisma } from "@/lib/db";
import { formatUtcMinute } from "@/lib/insight-table/display-dates";
import { insightTableHref } from "@/lib/insight-table/table-href";
import { listFixPlans } from "@/lib/remediation/read";

export const metadata: Metadata = { title: "Fixes" };

const COLUMNS = [
  "Plan",
  "Status",
  { label: "Keys", numeric: true },
  { label: "Skipped", numeric: true },
  "Planned by",
  "Approved by",
  "Finished",
] as const;

export default async function FixesPage() {
  const user = await requirePageUser();
  const plans = await listFixPlans(prisma, user.accountScope);
  return (
    <div className="flex flex-col gap-4">
      <PageHeader
        title="Fixes"
        description="Plans that turn on automatic rotation for failing keys, and their rollbacks: planned by an analyst or admin, approved by an admin, run by the workers, each key read back and its finding judged again at once."
      />
      {user.role !== "viewer" ? (
        <p className="text-sm text-muted-foreground">
          Plan a fix from a key&apos;s page, or select keys in the{" "}
          <Link href={insightTableHref()} className="text-primary underline">
            key rotation table
          </Link>
          .
        </p>
      ) : null}
      <Table caption="Fix plans" columns={COLUMNS} stickyFirstColumn>
        {plans.length ? (
          plans.map((p) => (
            <TableRow key={p.id}>
              <TableRowHead className="whitespace-nowrap">
                <Link href={`/fixes/${p.id}`} className="text-primary underline">
                  {p.kind === "ROLLBACK" ? "Rollback" : "Fix"} of {formatUtcMinute(p.createdAt)}
                </Link>
              </TableRowHead>
              <TableCell>
                <FixStatusBadge status={p.status} />
              </TableCell>
              <TableCell numeric>{p.changeCount}</TableCell>
              <TableCell numeric>{p.skipCount}</TableCell>
              <TableCell>{p.createdByEmail}</TableCell>
              <TableCell>{p.approvedByEmail ?? "—"}</TableCell>
              <TableCell className="whitespace-nowrap">{formatUtcMinute(p.finishedAt) || "—"}</TableCell>
            </TableRow>
          ))
        ) : (
          <TableEmptyRow colSpan={COLUMNS.length}>No fix has been planned yet.</TableEmptyRow>
        )}
      </Table>
    </div>
  );
}
