import Link from "next/link";
import { Card, CardContent } from "@/components/ui/card";
import { ListTableHead } from "@/components/ui/table";
import type { UserSummary } from "@/lib/users/service";
import type { AccountOption } from "./scope-form";

const utc = (d: Date | null) => (d ? `${d.toISOString().slice(0, 16).replace("T", " ")} UTC` : "never");

export function UsersTable({
  users,
  accounts,
  currentUserId,
}: {
  users: UserSummary[];
  accounts: AccountOption[];
  currentUserId: string;
}) {
  const names = new Map(accounts.map((a) => [a.id, a.name]));
  return (
    <Card>
      <CardContent className="overflow-x-auto p-0">
        <table className="w-full text-sm">
          <caption className="sr-only">Users who can sign in</caption>
          <ListTableHead headers={["Email", "Role", "Status", "Accounts", "Last sign-in", "Actions"]} />
          <tbody>
            {users.map((u) => (
              <tr key={u.id} className="border-b border-border align-top">
                <th scope="row" className="px-4 py-2 text-left font-normal">
                  <div className="font-medium">
                    {u.email}
                    {u.id === currentUserId ? <span className="text-muted-foreground"> (you)</span> : null}
                  </div>
                  {u.name ? <div className="text-xs text-muted-foreground">{u.name}</div> : null}
                </th>
                <td className="px-4 py-2">{u.role}</td>
                <td className="px-4 py-2">{u.disabled ? "disabled" : "active"}</td>
                <td className="max-w-xs px-4 py-2">
                  {!u.scoped
                    ? "All"
                    : u.accountIds.length === 0
                      ? "None"
                      : u.accountIds.map((id) => `${names.get(id) ?? "?"} (${id})`).join(", ")}
                </td>
                <td className="whitespace-nowrap px-4 py-2">{utc(u.lastLoginAt)}</td>
                <td className="px-4 py-2">
                  <Link
                    href={`/users?user=${encodeURIComponent(u.id)}#manage`}
                    className="text-primary underline"
                    aria-label={`Manage ${u.email}`}
                  >
                    Manage
                  </Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </CardContent>
    </Card>
  );
}
