import type { Metadata } from "next";
import { forbidden } from "next/navigation";
import { PageHeader } from "@/components/shell/page-header";
import { Alert } from "@/components/ui/alert";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { listAccounts } from "@/lib/accounts/service";
import { requirePageUser } from "@/lib/auth/session";
import { prisma } from "@/lib/db";
import { listUsers } from "@/lib/users/service";
import { AddUserForm } from "./_components/add-user-form";
import { ManageUser } from "./_components/manage-user";
import { UsersTable } from "./_components/users-table";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage(props: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const me = await requirePageUser();
  if (me.role !== "admin") forbidden();
  const { user: selectedId } = await props.searchParams;
  const [users, accountRows] = await Promise.all([listUsers(prisma), listAccounts(prisma)]);
  // Only what the forms show: never an account's stored secrets.
  const accounts = accountRows.map((a) => ({ id: a.id, name: a.name }));
  const selected = typeof selectedId === "string" ? users.find((u) => u.id === selectedId) : undefined;
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title="Users"
        description={
          <>
            Who can sign in, with which role, and which accounts each viewer sees. The same is possible with{" "}
            <code>npm run cli -- users …</code>.
          </>
        }
      />
      <UsersTable users={users} accounts={accounts} currentUserId={me.id} />
      {selectedId !== undefined && !selected ? (
        <Alert tone="warning">That user does not exist (any more). Choose one from the table.</Alert>
      ) : null}
      {selected ? (
        <ManageUser key={selected.id} user={selected} accounts={accounts} isSelf={selected.id === me.id} />
      ) : null}
      <Card>
        <CardHeader>
          <CardTitle>Add a user</CardTitle>
          <CardDescription>
            They sign in with this email and password; tell them the password by a safe channel.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <AddUserForm />
        </CardContent>
      </Card>
    </div>
  );
}
