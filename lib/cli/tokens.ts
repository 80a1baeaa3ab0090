import { parseArgs } from "node:util";
import {
  createToken,
  DEFAULT_TOKEN_DAYS,
  listTokens,
  MAX_TOKEN_DAYS,
  revokeToken,
  TokenError,
} from "@/lib/api/tokens";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { findUserId, UserError, type Actor } from "@/lib/users/service";
import { unknownSubcommand, type CommandHelp } from "./help";
import { formatTable, UsageError, type CliIO } from "./io";

export const TOKENS_HELP: CommandHelp = {
  command: "tokens",
  summary: "API tokens: create (the secret printed once), list, revoke",
  usage: [
    "tokens create --email EMAIL --name NAME [--expires YYYY-MM-DD]",
    "tokens list [--email EMAIL]",
    "tokens revoke ID",
  ],
  description:
    "A token acts for its user in the REST API (/api/v1), with the user's role and accounts, until it " +
    "expires or is revoked, the user is disabled or loses that role. create prints the secret on stdout, " +
    "once: only its hash is kept. list prints each token's id, user, name, prefix, dates and last use.",
  options: [
    { flag: "--email EMAIL", text: "create: the token's user; list: only this user's tokens" },
    { flag: "--name NAME", text: "create: what the token is for" },
    {
      flag: "--expires DATE",
      text: `create: the last day it works, at most ${MAX_TOKEN_DAYS} days ahead`,
      default: `${DEFAULT_TOKEN_DAYS} days`,
    },
  ],
};

const CLI: Actor = { actorEmail: "cli" };

type Sub = (argv: string[], db: PrismaClient, io: CliIO) => Promise<number>;

const SUBCOMMANDS: Record<string, Sub> = { create, list, revoke };

export async function tokensCommand(argv: string[], db: PrismaClient, io: CliIO): Promise<number> {
  const [sub, ...rest] = argv;
  const run = sub ? SUBCOMMANDS[sub] : undefined;
  if (!run) throw unknownSubcommand("tokens", sub, Object.keys(SUBCOMMANDS));
  try {
    return await run(rest, db, io);
  } catch (err) {
    if (err instanceof UserError || err instanceof TokenError) throw new UsageError(err.message);
    throw err;
  }
}

async function create(argv: string[], db: PrismaClient, io: CliIO): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { email: { type: "string" }, name: { type: "string" }, expires: { type: "string" } },
    strict: true,
  });
  if (!values.email || !values.name) throw new UsageError("tokens create needs --email and --name.");
  const userId = await findUserId(db, values.email);
  const { token, secret } = await createToken(
    db,
    { userId, name: values.name, expires: values.expires },
    CLI,
  );
  io.out(secret);
  io.err(
    `Created token "${token.name}" (${token.id}) for ${token.userEmail}, valid until ${token.expiresAt.toISOString()}. ` +
      "The secret above is shown only now: keep it somewhere safe.",
  );
  return 0;
}

async function list(argv: string[], db: PrismaClient, io: CliIO): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { email: { type: "string" } }, strict: true });
  const userId = values.email ? await findUserId(db, values.email) : null;
  const now = Date.now();
  const rows = (await listTokens(db, userId)).map((t) => [
    t.id,
    t.userEmail,
    t.name,
    `${t.prefix}…`,
    t.createdAt.toISOString().slice(0, 10),
    t.revokedAt
      ? "revoked"
      : t.expiresAt.getTime() <= now
        ? "expired"
        : t.expiresAt.toISOString().slice(0, 10),
    t.lastUsedAt ? `${t.lastUsedAt.toISOString()} ${t.lastUsedIp ?? ""}`.trim() : "never",
  ]);
  io.out(formatTable(["ID", "USER", "NAME", "PREFIX", "CREATED", "EXPIRES", "LAST USED"], rows));
  return 0;
}

async function revoke(argv: string[], db: PrismaClient, io: CliIO): Promise<number> {
  const { positionals } = parseArgs({ args: argv, options: {}, strict: true, allowPositionals: true });
  if (positionals.length !== 1) throw new UsageError("tokens revoke takes one token id (see `tokens list`).");
  const token = await revokeToken(db, positionals[0]!, { ...CLI, userId: null, asAdmin: true });
  io.err(`Revoked token "${token.name}" of ${token.userEmail}: it no longer works.`);
  return 0;
}
