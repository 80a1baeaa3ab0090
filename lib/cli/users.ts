import { parseArgs } from "node:util";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { setAccountScope } from "@/lib/users/account-scope";
import { changeRole, resetPassword, setDisabled, type UserChange } from "@/lib/users/manage";
import { roleSchema } from "@/lib/users/schema";
import { createUser, findUserId, listUsers, UserError, type Actor } from "@/lib/users/service";
import { formatTable, readPassword, UsageError, type CliIO } from "./io";
import { unknownSubcommand, type CommandHelp } from "./help";

export const USERS_HELP: CommandHelp = {
  command: "users",
  summary: "manage who can sign in",
  usage: [
    "users add --email EMAIL --role admin|analyst|viewer [--name NAME]",
    "users list",
    "users role --email EMAIL --role admin|analyst|viewer",
    "users disable|enable --email EMAIL",
    "users reset-password --email EMAIL",
    "users scope --email EMAIL (--account ID... | --all | --none)",
  ],
  description:
    "add and reset-password read the password from the first line of stdin when it is piped, " +
    "else prompt for it twice. scope: a viewer or analyst sees only these accounts. Role changes, " +
    "disabling and password resets end the user's current sessions.",
  options: [
    { flag: "--email EMAIL", text: "the user" },
    { flag: "--role ROLE", text: "admin, analyst or viewer" },
    { flag: "--name NAME", text: "add: the name to show" },
    { flag: "--account ID", text: "scope: an account the user may see; repeatable" },
    { flag: "--all", text: "scope: every account" },
    { flag: "--none", text: "scope: no account" },
  ],
};

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
  if (!run) throw unknownSubcommand("users", sub, Object.keys(SUBCOMMANDS));
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
  io.err(`Created ${user.role} ${user.email}.`);
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
  if (!change.changed) io.err(`${email} already is ${article(now)}; nothing changed.`);
  else io.err(`${email} is now ${article(now)}.${ended(change)}${cleared(change)}`);
  return 0;
}

async function toggle(argv: string[], db: PrismaClient, io: CliIO, disable: boolean): Promise<number> {
  const userId = await findUserId(db, emailFlag(argv));
  const change = await setDisabled(db, userId, disable, CLI);
  const state = disable ? "disabled" : "enabled";
  if (!change.changed) io.err(`${change.user.email} already is ${state}; nothing changed.`);
  else io.err(`${change.user.email} is now ${state}.${disable ? ended(change) : ""}`);
  return 0;
}

async function resetUserPassword(argv: string[], db: PrismaClient, io: CliIO): Promise<number> {
  const userId = await findUserId(db, emailFlag(argv));
  const password = await readPassword(io);
  const change = await resetPassword(db, userId, password, CLI);
  io.err(`Set a new password for ${change.user.email}.${ended(change)}`);
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
  io.err(`${email} ${change.changed ? "now sees" : "already sees"} ${sees}.`);
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
