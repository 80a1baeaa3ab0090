import Link from "next/link";
import { Table, TableCell, TableEmptyRow, TableRow, TableRowHead } from "@/components/ui/table";
import { insightTableHref } from "@/lib/insight-table/table-href";
import type { AccountShare } from "@/lib/verdict/compliance-shares";
import { ShareText } from "./share-text";

const HEADERS = [
  "Account",
  "Keys passing (every framework)",
  { label: "Failing keys", numeric: true },
  { label: "Excepted", numeric: true },
] as const;

const linkClass = "text-primary underline-offset-4 hover:underline";

/**
 * The share of each account's keys passing. Every framework maps the same check, so an account's
 * share is the same under each: one column, where a column per framework would repeat it.
 */
export function AccountSharesTable({ accounts }: { accounts: AccountShare[] }) {
  return (
    <Table caption="Keys passing by account" columns={HEADERS}>
      {accounts.length === 0 && <TableEmptyRow colSpan={HEADERS.length}>No account yet.</TableEmptyRow>}
      {accounts.map((a) => (
        <TableRow key={a.id} data-account={a.id}>
          <TableRowHead className="font-medium">
            {a.name}
            <span className="block text-xs font-normal text-muted-foreground">{a.id}</span>
          </TableRowHead>
          <TableCell>
            <ShareText share={a} />
          </TableCell>
          <TableCell numeric>
            <Link
              href={insightTableHref({ accounts: [a.id], severities: ["CRITICAL", "WARNING"] })}
              className={linkClass}
            >
              {a.failing}
              <span className="sr-only"> failing keys in {a.name}</span>
            </Link>
          </TableCell>
          <TableCell numeric>{a.excepted}</TableCell>
        </TableRow>
      ))}
    </Table>
  );
}
