import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { PageHeader } from "@/components/shell/page-header";
import { Table, TableCell, TableEmptyRow, TableRow, TableRowHead } from "@/components/ui/table";
import { defaultTokenDay, lastTokenDay } from "@/lib/api/token-rules";
import { listTokens, type TokenSummary } from "@/lib/api/tokens";
import { requirePageUser } from "@/lib/auth/session";
import { prisma } from "@/lib/db";
import { CreateTokenForm } from "./_components/create-token-form";
import { RevokeTokenButton } from "./_components/revoke-token-button";

export const metadata: Metadata = { title: "API tokens" };

export default async function TokensPage() {
  const user = await requirePageUser();
  const isAdmin = user.role === "admin";
  const [mine, all] = await Promise.all([
    listTokens(prisma, user.id),
    isAdmin ? listTokens(prisma, null) : [],
  ]);
  const others = all.filter((t) => t.userEmail !== user.email);
  const h = await headers();
  const origin = `${h.get("x-forwarded-proto") ?? "http"}://${h.get("host") ?? "localhost"}`;
  const now = new Date();
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title="API tokens"
        description={
          <>
            A token lets a script use the{" "}
            <Link href="/api-docs" className="text-primary underline underline-offset-4">
              REST API
            </Link>{" "}
            as you: with your role, in your accounts, until it expires or is revoked (or you are disabled or
            change role). Only a hash of it is kept.
          </>
        }
      />
      <CreateTokenForm defaultDay={defaultTokenDay(now)} lastDay={lastTokenDay(now)} origin={origin} />
      <TokensTable caption="Your tokens" tokens={mine} now={now} />
      {isAdmin && <TokensTable caption="Everyone else's tokens" tokens={others} now={now} showUser />}
    </div>
  );
}

function TokensTable({
  caption,
  tokens,
  now,
  showUser = false,
}: {
  caption: string;
  tokens: TokenSummary[];
  now: Date;
  showUser?: boolean;
}) {
  const columns = [
    "Name",
    ...(showUser ? ["User"] : []),
    "Prefix",
    "Created",
    "Last used",
    "Expires",
    "Actions",
  ];
  return (
    <Table caption={caption} captionLook="title" columns={columns} stickyFirstColumn>
      {tokens.length === 0 && <TableEmptyRow colSpan={columns.length}>No tokens.</TableEmptyRow>}
      {tokens.map((t) => {
        const ended = t.revokedAt ? "Revoked" : t.expiresAt <= now ? "Expired" : null;
        return (
          <TableRow key={t.id}>
            <TableRowHead className="font-medium">{t.name}</TableRowHead>
            {showUser && <TableCell>{t.userEmail}</TableCell>}
            <TableCell>
              <code className="text-xs">{t.prefix}…</code>
            </TableCell>
            <TableCell>{day(t.createdAt)}</TableCell>
            <TableCell>
              {t.lastUsedAt ? (
                <>
                  {t.lastUsedAt.toISOString().slice(0, 16).replace("T", " ")} UTC
                  {t.lastUsedIp && (
                    <span className="block text-xs text-muted-foreground">from {t.lastUsedIp}</span>
                  )}
                </>
              ) : (
                "Never"
              )}
            </TableCell>
            <TableCell>
              {ended
                ? `${ended} (${t.revokedAt ? day(t.revokedAt) : lastDay(t.expiresAt)})`
                : lastDay(t.expiresAt)}
            </TableCell>
            <TableCell>{t.revokedAt ? null : <RevokeTokenButton id={t.id} name={t.name} />}</TableCell>
          </TableRow>
        );
      })}
    </Table>
  );
}

/** The day a date falls on, in UTC. */
const day = (d: Date) => d.toISOString().slice(0, 10);
/** The last day a token works: its expiry is the end of that day. */
const lastDay = (expiresAt: Date) => day(new Date(expiresAt.getTime() - 1));
