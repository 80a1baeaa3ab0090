import type { Metadata } from "next";
import { AdminOnly } from "@/components/shell/admin-only";
import { Card, CardContent } from "@/components/ui/card";
import { getCurrentUser } from "@/lib/auth/session";
import { prisma } from "@/lib/db";
import { listUsers } from "@/lib/users/service";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage() {
  const user = await getCurrentUser();
  if (user?.role !== "admin") return <AdminOnly what="manage users" />;
  const users = await listUsers(prisma);
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-semibold">Users</h1>
      <p className="text-sm text-muted-foreground">
        Add users with <code>npm run cli -- users add --email E --role admin|viewer</code>.
      </p>
      <Card>
        <CardContent className="p-0">
          <table className="w-full text-sm">
            <caption className="sr-only">Users who can sign in</caption>
            <thead className="border-b border-border bg-muted text-left">
              <tr>
                {["Email", "Role", "Status", "Last sign-in"].map((h) => (
                  <th key={h} scope="col" className="px-4 py-2 font-medium">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {users.map((u) => (
                <tr key={u.id} className="border-b border-border">
                  <td className="px-4 py-2">{u.email}</td>
                  <td className="px-4 py-2">{u.role}</td>
                  <td className="px-4 py-2">{u.disabled ? "disabled" : "active"}</td>
                  <td className="px-4 py-2">{u.lastLoginAt ? `${u.lastLoginAt.toISOString().slice(0, 16).replace("T", " ")} UTC` : "never"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </CardContent>
      </Card>
    </div>
  );
}
