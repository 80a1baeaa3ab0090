import { parseArgs } from "node:util";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { setAccountScope } from "@/lib/users/account-scope";
import { changeRole, resetPassword, setDisabled, type UserChange } from "@/lib/users/manage";
import { roleSchema } from "@/lib/users/schema";
import { createUser, findUserId, listUsers, UserError, type Actor } from "@/lib/users/service";
import { formatTable, readPassword, UsageError, type CliIO } from "./io";

export const USERS_USAGE = `Usage:
  npm run cli -- users add --email EMAIL --role admin|analyst|viewer [--name NAME]
  npm run cli -- users list
  npm run cli -- users role --email EMAIL --role admin|analyst|viewer
  npm run cli -- users disable|enable --email EMAIL
  npm run cli -- users reset-password --email EMAIL
      (add and reset-password read the password from stdin when piped, else prompt for it)
  npm run cli -- users scope --email EMAIL --account ID [--account ID]...
  npm run cli -- users scope --email EMAIL --all|--none
      (a viewer or analyst sees only these accounts; --all: every account; --none: no account)
  Role changes, disabling and password resets end the user's current sessions.`;

const CLI: Actor = { actorEmail: "cli" };

type Sub = (argv: string[], db: PrismaClient, io: CliIO) => Promise<number>;

const SUBCOMMANDS: Record<string, Sub> = {
  add: addUser,
  list: list,
  role: role,
  disable: (argv, db, io) => toggle(argv, db, io, true),
  enable: (argv, db, io) => toggle(argv, db, io, false),
  "reset-password": resetUserPassword,
  scope: scope,
};

export async function usersCommand(argv: string[], db: PrismaClient, io: CliIO): Promise<number> {
  const [sub, ...rest] = argv;
  const run = sub ? SUBCOMMANDS[sub] : undefined;
  if (!run) throw new UsageError(sub ? `Unknown users command "${sub}".\n${USERS_USAGE}` : USERS_USAGE);
  try {
    return await run(rest, db, io);
  } catch (err) {
    if (err instanceof UserError) throw new UsageError(err.message);
    throw err;
  }
}

async function list(argv: string[], db: PrismaClient, io: CliIO): Promise<number> {
  parseArgs({ args: argv, options: {}, strict: true });
  const users = await listUsers(db);
  const rows = users.map((u) => [
    u.email,
    u.role,
    u.disabled ? "disabled" : "active",
    u.scoped ? u.accountIds.join(",") || "none" : "all",
    u.lastLoginAt?.toISOString() ?? "never",
  ]);
  io.out(formatTable(["EMAIL", "ROLE", "STATUS", "ACCOUNTS", "LAST SIGN-IN"], rows));
  return 0;
}

async function addUser(argv: string[], db: PrismaClient, io: CliIO): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { email: { type: "string" }, role: { type: "string" }, name: { type: "string" } },
    strict: true,
  });
  if (!values.email) throw new UsageError("--email is required.");
  const role = parseRole(values.role);
  const password = await readPassword(io);
  const user = await createUser(db, { email: values.email, password, role, name: values.name }, CLI);
  io.out(`Created ${user.role} ${user.email}.`);
  return 0;
}

async function role(argv: string[], db: PrismaClient, io: CliIO): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { email: { type: "string" }, role: { type: "string" } },
    strict: true,
  });
  const userId = await findUserId(db, requireEmail(values.email));
  const change = await changeRole(db, userId, parseRole(values.role), CLI);
  const { email, role: now } = change.user;
  if (!change.changed) io.out(`${email} already is ${article(now)}; nothing changed.`);
  else io.out(`${email} is now ${article(now)}.${ended(change)}${cleared(change)}`);
  return 0;
}

async function toggle(argv: string[], db: PrismaClient, io: CliIO, disable: boolean): Promise<number> {
  const userId = await findUserId(db, emailFlag(argv));
  const change = await setDisabled(db, userId, disable, CLI);
  const state = disable ? "disabled" : "enabled";
  if (!change.changed) io.out(`${change.user.email} already is ${state}; nothing changed.`);
  else io.out(`${change.user.email} is now ${state}.${disable ? ended(change) : ""}`);
  return 0;
}

async function resetUserPassword(argv: string[], db: PrismaClient, io: CliIO): Promise<number> {
  const userId = await findUserId(db, emailFlag(argv));
  const password = await readPassword(io);
  const change = await resetPassword(db, userId, password, CLI);
  io.out(`Set a new password for ${change.user.email}.${ended(change)}`);
  return 0;
}

async function scope(argv: string[], db: PrismaClient, io: CliIO): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      email: { type: "string" },
      account: { type: "string", multiple: true },
      all: { type: "boolean" },
      none: { type: "boolean" },
    },
    strict: true,
  });
  const accounts = values.account ?? [];
  const given = [accounts.length > 0, values.all, values.none].filter(Boolean).length;
  if (given !== 1) throw new UsageError("Give one of --account ID (repeatable), --all or --none.");
  const userId = await findUserId(db, requireEmail(values.email));
  const change = await setAccountScope(db, userId, values.all ? null : accounts, CLI);
  const { email, scoped, accountIds } = change.user;
  const sees = !scoped
    ? "every account"
    : accountIds.length
      ? `only account(s) ${accountIds.join(", ")}`
      : "no account";
  io.out(`${email} ${change.changed ? "now sees" : "already sees"} ${sees}.`);
  return 0;
}

function emailFlag(argv: string[]): string {
  const { values } = parseArgs({ args: argv, options: { email: { type: "string" } }, strict: true });
  return requireEmail(values.email);
}

function requireEmail(email: string | undefined): string {
  if (!email) throw new UsageError("--email is required.");
  return email;
}

function parseRole(value: string | undefined) {
  const parsed = roleSchema.safeParse(value);
  if (!parsed.success) throw new UsageError("--role must be admin, analyst or viewer.");
  return parsed.data;
}

const article = (role: string) => (role === "admin" || role === "analyst" ? `an ${role}` : `a ${role}`);
const ended = (change: UserChange) => (change.changed ? " Their current sessions have ended." : "");
const cleared = (change: UserChange) =>
  change.clearedScope
    ? ` Their account scope (${change.clearedScope.join(", ") || "no account"}) was removed: admins see every account.`
    : "";
