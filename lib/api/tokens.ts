import { createHash, randomBytes } from "node:crypto";
import { audit, type Actor } from "@/lib/audit/log";
import type { AccountScope } from "@/lib/auth/account-scope";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { Role } from "@/lib/generated/prisma/enums";
import { accountScopeOf } from "@/lib/users/account-scope";
import { userWithScope } from "@/lib/users/service";
import { tokenExpiry, tokenNameSchema } from "./token-rules";

export { DEFAULT_TOKEN_DAYS, MAX_TOKEN_DAYS } from "./token-rules";

// Personal API tokens: `kmsi_` and 32 random bytes. Only the secret's SHA-256 is stored (a secret
// of that entropy needs no slow hash), so a stolen database gives no usable token. A token acts as
// its user, within the user's accounts, while the user is enabled and keeps the role it had when
// the token was made.

export const TOKEN_PREFIX = "kmsi_";
/** Characters of the secret shown in lists, to tell tokens apart ("kmsi_3fQx9a…"). */
const SHOWN_PREFIX = TOKEN_PREFIX.length + 6;
/** Last used is written at most this often per token: a request within it writes nothing. */
const LAST_USED_EVERY_MS = 60_000;

export class TokenError extends Error {
  constructor(
    message: string,
    readonly field?: "name" | "expires",
  ) {
    super(message);
  }
}

export const hashSecret = (secret: string) => createHash("sha256").update(secret).digest("hex");

export interface TokenSummary {
  id: string;
  name: string;
  prefix: string;
  userEmail: string;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  lastUsedIp: string | null;
}

const SUMMARY = {
  id: true,
  name: true,
  prefix: true,
  createdAt: true,
  expiresAt: true,
  revokedAt: true,
  lastUsedAt: true,
  lastUsedIp: true,
  user: { select: { email: true } },
} as const;

type SummaryRow = Omit<TokenSummary, "userEmail"> & { user: { email: string } };
const summarize = ({ user, ...t }: SummaryRow): TokenSummary => ({ ...t, userEmail: user.email });

/** Creates a token for `userId`; the secret is in the answer only, never stored or shown again. */
export async function createToken(
  db: PrismaClient,
  input: { userId: string; name: string; expires?: string | null },
  actor: Actor,
  now = new Date(),
): Promise<{ token: TokenSummary; secret: string }> {
  const name = tokenNameSchema.safeParse(input.name);
  if (!name.success) throw new TokenError(name.error.issues[0]!.message, "name");
  const expiresAt = tokenExpiry(input.expires, now);
  if ("error" in expiresAt) throw new TokenError(expiresAt.error, "expires");
  const secret = TOKEN_PREFIX + randomBytes(32).toString("base64url");
  return db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: input.userId } });
    if (!user || user.disabled) throw new TokenError("Only an enabled user can have tokens.");
    const row = await tx.apiToken.create({
      data: {
        userId: user.id,
        name: name.data,
        prefix: secret.slice(0, SHOWN_PREFIX),
        secretHash: hashSecret(secret),
        role: user.role,
        createdAt: now,
        expiresAt,
      },
      select: SUMMARY,
    });
    await audit(tx, {
      ...actor,
      action: "token.create",
      target: user.email,
      details: { token: row.name, prefix: row.prefix, expiresAt: expiresAt.toISOString() },
    });
    return { token: summarize(row), secret };
  });
}

/** Tokens newest first: one user's (`userId`), or everyone's (null, for admins and the CLI). */
export async function listTokens(db: PrismaClient, userId: string | null): Promise<TokenSummary[]> {
  const rows = await db.apiToken.findMany({
    where: userId ? { userId } : {},
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    select: SUMMARY,
  });
  return rows.map(summarize);
}

/**
 * Revokes a token: its owner may, an admin may revoke anyone's (`asAdmin`). Revoking one already
 * revoked changes nothing.
 */
export async function revokeToken(
  db: PrismaClient,
  id: string,
  by: Actor & { userId: string | null; asAdmin: boolean },
  now = new Date(),
): Promise<TokenSummary> {
  const { userId, asAdmin, ...actor } = by;
  return db.$transaction(async (tx) => {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) throw new TokenError("No such token among yours.");
    const row = await tx.apiToken.findUnique({
      where: { id },
      select: { ...SUMMARY, userId: true },
    });
    if (!row || (!asAdmin && row.userId !== userId)) throw new TokenError("No such token among yours.");
    if (row.revokedAt) return summarize(row);
    const updated = await tx.apiToken.update({
      where: { id: row.id },
      data: { revokedAt: now, revokedBy: actor.actorEmail },
      select: SUMMARY,
    });
    await audit(tx, {
      ...actor,
      action: "token.revoke",
      target: row.user.email,
      details: { token: row.name, prefix: row.prefix },
    });
    return summarize(updated);
  });
}

/** Who a request's token acts as. */
export interface TokenUser {
  tokenId: string;
  tokenName: string;
  userId: string;
  email: string;
  role: Role;
  accountScope: AccountScope;
}

export type TokenCheck = { ok: true; user: TokenUser } | { ok: false; message: string };

/**
 * The user a bearer secret acts as, or why it is refused. Records when and from where it was last
 * used, at most once a minute per token.
 */
export async function authenticateToken(
  db: PrismaClient,
  secret: string,
  ip: string | null,
  now = new Date(),
): Promise<TokenCheck> {
  if (!secret.startsWith(TOKEN_PREFIX) || secret.length > 200)
    return { ok: false, message: `Not an API token: a token starts with "${TOKEN_PREFIX}".` };
  const row = await db.apiToken.findUnique({
    where: { secretHash: hashSecret(secret) },
    include: { user: { include: userWithScope } },
  });
  if (!row)
    return { ok: false, message: "Unknown API token: check it was copied whole, or create a new one." };
  if (row.revokedAt)
    return { ok: false, message: `The API token "${row.name}" was revoked: create a new one.` };
  if (row.expiresAt <= now)
    return {
      ok: false,
      message: `The API token "${row.name}" expired on ${row.expiresAt.toISOString()}: create a new one.`,
    };
  if (row.user.disabled)
    return {
      ok: false,
      message: "The token's user is disabled: an admin can enable them on the Users page.",
    };
  if (row.user.role !== row.role)
    return {
      ok: false,
      message: `The token's user is no longer ${row.role.toLowerCase()} (the role it was made with): create a new token.`,
    };
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= LAST_USED_EVERY_MS) {
    await db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: now, lastUsedIp: ip } });
  }
  return {
    ok: true,
    user: {
      tokenId: row.id,
      tokenName: row.name,
      userId: row.user.id,
      email: row.user.email,
      role: row.user.role,
      accountScope: accountScopeOf(row.user),
    },
  };
}
