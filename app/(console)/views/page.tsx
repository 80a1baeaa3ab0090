import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/shell/page-header";
import { Table, TableCell, TableEmptyRow, TableRow, TableRowHead } from "@/components/ui/table";
import { requirePageUser } from "@/lib/auth/session";
import { prisma } from "@/lib/db";
import { listSavedViews, type SavedViewItem } from "@/lib/saved-views/list";
import { DeleteViewButton, RenameViewForm, ShareViewButton } from "./_components/view-actions";

export const metadata: Metadata = { title: "Saved views" };

export default async function SavedViewsPage() {
  const user = await requirePageUser();
  const isAdmin = user.role === "admin";
  const views = await listSavedViews(prisma, user.id);
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title="Saved views"
        description={
          <>
            Filters of the key table kept under a name, listed in the sidebar. A view keeps filters only:
            whoever opens it sees the accounts they may see.{" "}
            {isAdmin
              ? "Share one to list it for everyone under Shared."
              : "An admin can share a view with everyone."}
          </>
        }
      />
      <Table caption="My views" captionLook="title" columns={["Name", "Filters", "Shared", "Actions"]}>
        {views.mine.length === 0 && (
          <TableEmptyRow colSpan={4}>
            No views yet. On the key table, choose filters and then &ldquo;Save view&rdquo;.
          </TableEmptyRow>
        )}
        {views.mine.map((view) => (
          <TableRow key={view.id}>
            <ViewName view={view} />
            <ViewFilters view={view} />
            <TableCell>{view.shared ? "With everyone" : "No"}</TableCell>
            <TableCell>
              <div className="flex flex-wrap items-start gap-2">
                <RenameViewForm view={view} />
                {isAdmin && <ShareViewButton view={view} />}
                <DeleteViewButton view={view} />
              </div>
            </TableCell>
          </TableRow>
        ))}
      </Table>
      <Table
        caption="Shared with everyone"
        captionLook="title"
        columns={isAdmin ? ["Name", "Filters", "Shared by", "Actions"] : ["Name", "Filters", "Shared by"]}
      >
        {views.shared.length === 0 && (
          <TableEmptyRow colSpan={isAdmin ? 4 : 3}>No one else has shared a view.</TableEmptyRow>
        )}
        {views.shared.map((view) => (
          <TableRow key={view.id}>
            <ViewName view={view} />
            <ViewFilters view={view} />
            <TableCell>{view.ownerEmail}</TableCell>
            {isAdmin && (
              <TableCell>
                <div className="flex flex-wrap items-start gap-2">
                  <ShareViewButton view={view} />
                  <DeleteViewButton view={view} />
                </div>
              </TableCell>
            )}
          </TableRow>
        ))}
      </Table>
    </div>
  );
}

function ViewName({ view }: { view: SavedViewItem }) {
  return (
    <TableRowHead>
      <Link href={view.href} className="font-medium text-primary underline-offset-4 hover:underline">
        {view.name}
      </Link>
    </TableRowHead>
  );
}

function ViewFilters({ view }: { view: SavedViewItem }) {
  return (
    <TableCell className="max-w-md text-xs [overflow-wrap:anywhere]">
      {view.query ? <code>{describeQuery(view.query)}</code> : "No filters"}
    </TableCell>
  );
}

/** The stored parameters as people read them: `severity=CRITICAL & region=eu-west-1`. */
function describeQuery(query: string): string {
  return [...new URLSearchParams(query)].map(([name, value]) => `${name}=${value}`).join(" & ");
}
