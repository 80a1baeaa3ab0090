import Link from "next/link";
import { Table, TableCell, TableRow, TableRowHead } from "@/components/ui/table";
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
    <Table
      caption="Users who can sign in"
      columns={["Email", "Role", "Status", "Accounts", "Last sign-in", "Actions"]}
    >
      {users.map((u) => (
        <TableRow key={u.id}>
          <TableRowHead>
            <div className="font-medium">
              {u.email}
              {u.id === currentUserId ? <span className="text-muted-foreground"> (you)</span> : null}
            </div>
            {u.name ? <div className="text-xs text-muted-foreground">{u.name}</div> : null}
          </TableRowHead>
          <TableCell>{u.role}</TableCell>
          <TableCell>{u.disabled ? "disabled" : "active"}</TableCell>
          <TableCell className="max-w-xs">
            {!u.scoped
              ? "All"
              : u.accountIds.length === 0
                ? "None"
                : u.accountIds.map((id) => `${names.get(id) ?? "?"} (${id})`).join(", ")}
          </TableCell>
          <TableCell className="whitespace-nowrap">{utc(u.lastLoginAt)}</TableCell>
          <TableCell>
            <Link
              href={`/users?user=${encodeURIComponent(u.id)}#manage`}
              className="text-primary underline"
              aria-label={`Manage ${u.email}`}
            >
              Manage
            </Link>
          </TableCell>
        </TableRow>
      ))}
    </Table>
  );
}
