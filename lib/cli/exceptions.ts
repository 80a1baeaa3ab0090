import { parseArgs } from "node:util";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import {
  EXCEPTION_STATES,
  EXPIRING_DAYS,
  listAllExceptions,
  type ExceptionState,
} from "@/lib/exceptions/list";
import {
  defaultExpiryDay,
  newExceptionSchema,
  type ExceptionKindName,
  type NewExceptionInput,
} from "@/lib/exceptions/schema";
import {
  approveException,
  createException,
  describeScope,
  ExceptionError,
  revokeException,
  type ExceptionActor,
} from "@/lib/exceptions/service";
import { formatTable, UsageError, type CliIO } from "./io";
import { unknownSubcommand, type CommandHelp } from "./help";

export const EXCEPTIONS_HELP: CommandHelp = {
  command: "exceptions",
  summary: "accepted risks and false positives",
  usage: [
    "exceptions add --kind KIND --justification TEXT --owner EMAIL",
    "           [--expires YYYY-MM-DD] [--ticket URL] SCOPE",
    "exceptions list [--status STATE]... [--json]",
    "exceptions approve ID",
    "exceptions revoke ID",
    "exceptions change ID [add's options]",
  ],
  description:
    "SCOPE is either --key ARN [--key ARN]... (these keys) or a rule: [--account ID]... [--region R]... " +
    "[--tag KEY [--tag-value V]...] [--alias-prefix P], every key that matches all given parts, now and " +
    "in later scans. add: in force at once (the command line acts as an admin). list: every version, " +
    `newest first; expiring: in force with ${EXPIRING_DAYS} days or fewer left. approve: an analyst's pending ` +
    "exception. revoke: its keys' findings open again at once. change: a new version of exception ID " +
    "with the options given, the rest as it was (SCOPE: all or nothing); the version before ends " +
    "when it comes into force.",
  options: [
    { flag: "--kind KIND", text: "accepted-risk or false-positive" },
    { flag: "--justification TEXT", text: "why the finding is accepted" },
    { flag: "--owner EMAIL", text: "who answers for it" },
    { flag: "--expires YYYY-MM-DD", text: "at most 365 days ahead", default: "90 days ahead" },
    { flag: "--ticket URL", text: "a link to the ticket" },
    { flag: "--key ARN", text: "a key the exception covers; repeatable" },
    { flag: "--account ID", text: "rule: keys of this account; repeatable" },
    { flag: "--region R", text: "rule: keys of this region; repeatable" },
    { flag: "--tag KEY", text: "rule: keys with this tag" },
    { flag: "--tag-value V", text: "rule, with --tag: keys whose tag has this value; repeatable" },
    { flag: "--alias-prefix P", text: "rule: keys whose alias starts with P" },
    {
      flag: "--status STATE",
      text: "list: active, expiring, expired, revoked, pending or superseded; repeatable",
      default: "every state",
    },
    { flag: "--json", text: "list: JSON instead of a table" },
  ],
};

/** The CLI acts as an operator: an admin of every account, "cli" in the audit log. */
const CLI: ExceptionActor = { actorEmail: "cli", role: "ADMIN", scope: null };

const KIND_NAMES: Record<string, ExceptionKindName> = {
  ACCEPTED_RISK: "accepted-risk",
  FALSE_POSITIVE: "false-positive",
};

export async function exceptionsCommand(argv: string[], db: PrismaClient, io: CliIO): Promise<number> {
  const [sub, ...rest] = argv;
  try {
    switch (sub) {
      case "add":
        return await add(rest, db, io);
      case "change":
        return await change(rest, db, io);
      case "list":
        return await list(rest, db, io);
      case "approve": {
        const id = idArg(rest, "approve");
        const { keys } = await approveException(db, id, CLI);
        io.err(`Approved ${id}: in force, covering ${plural(keys, "key")}.`);
        return 0;
      }
      case "revoke": {
        const id = idArg(rest, "revoke");
        const { keys } = await revokeException(db, id, CLI);
        io.err(`Revoked ${id}: ${plural(keys, "key")} no longer covered; their findings are open again.`);
        return 0;
      }
      default:
        throw unknownSubcommand("exceptions", sub, ["add", "list", "approve", "revoke", "change"]);
    }
  } catch (err) {
    if (err instanceof ExceptionError) throw new UsageError(err.message);
    throw err;
  }
}

const FIELD_OPTIONS = {
  kind: { type: "string" },
  justification: { type: "string" },
  owner: { type: "string" },
  expires: { type: "string" },
  ticket: { type: "string" },
  key: { type: "string", multiple: true },
  account: { type: "string", multiple: true },
  region: { type: "string", multiple: true },
  tag: { type: "string" },
  "tag-value": { type: "string", multiple: true },
  "alias-prefix": { type: "string" },
} as const;

/** The flag of each field of the input, for messages. */
const FLAG_OF: Record<string, string> = {
  kind: "--kind",
  justification: "--justification",
  ownerEmail: "--owner",
  expires: "--expires",
  ticketUrl: "--ticket",
  keyArns: "--key",
  accounts: "--account",
  regions: "--region",
  tagKey: "--tag",
  tagValues: "--tag-value",
  aliasPrefix: "--alias-prefix",
};

type FieldValues = {
  [K in keyof typeof FIELD_OPTIONS]?: (typeof FIELD_OPTIONS)[K] extends { multiple: true }
    ? string[]
    : string;
};

function parseFields(argv: string[]): { values: FieldValues; positionals: string[] } {
  const { values, positionals } = parseArgs({
    args: argv,
    options: FIELD_OPTIONS,
    strict: true,
    allowPositionals: true,
  });
  return { values, positionals };
}

/** The scope the flags give, or null when they give none. */
function scopeOf(v: FieldValues): NewExceptionInput["scope"] | null {
  const keys = v.key ?? [];
  const rule =
    v.account?.length || v.region?.length || v.tag !== undefined || v["alias-prefix"] !== undefined;
  if (v["tag-value"]?.length && v.tag === undefined) throw new UsageError("--tag-value needs --tag.");
  if (keys.length && rule)
    throw new UsageError("Give --key, or a rule (--account, --region, --tag, --alias-prefix), not both.");
  if (!keys.length && !rule) return null;
  return {
    keyArns: keys,
    accounts: v.account ?? [],
    regions: v.region ?? [],
    tagKey: v.tag ?? null,
    tagValues: v["tag-value"] ?? [],
    aliasPrefix: v["alias-prefix"] ?? null,
  };
}

/**
 * The input's first problem as a usage error: the schema's sentences as they are, its short
 * messages on a value (a key ARN, an account id) after the flag and the value.
 */
function checkInput(input: NewExceptionInput): void {
  const parsed = newExceptionSchema.safeParse(input);
  if (parsed.success) return;
  const issue = parsed.error.issues[0]!;
  const sentence = issue.message.endsWith(".") ? issue.message : `${issue.message}.`;
  const flag = FLAG_OF[String(issue.path.find((p) => p !== "scope"))];
  if (!flag || /^[A-Z]/.test(issue.message)) throw new UsageError(sentence);
  let value: unknown = input;
  for (const p of issue.path) value = (value as Record<PropertyKey, unknown>)[p as PropertyKey];
  throw new UsageError(`${flag}${typeof value === "string" ? ` "${value}"` : ""}: ${sentence}`);
}

async function add(argv: string[], db: PrismaClient, io: CliIO): Promise<number> {
  const { values: v, positionals } = parseFields(argv);
  if (positionals.length) throw new UsageError(`Unexpected argument "${positionals[0]}".`);
  for (const flag of ["kind", "justification", "owner"] as const)
    if (v[flag] === undefined) throw new UsageError(`--${flag} is required.`);
  const scope = scopeOf(v);
  if (!scope)
    throw new UsageError(
      "Choose the keys (--key ARN) or a rule (--account, --region, --tag, --alias-prefix).",
    );
  const input: NewExceptionInput = {
    kind: v.kind as ExceptionKindName,
    justification: v.justification!,
    ownerEmail: v.owner!,
    expires: v.expires ?? defaultExpiryDay(),
    ticketUrl: v.ticket ?? "",
    scope,
  };
  checkInput(input);
  const created = await createException(db, input, CLI);
  io.out(created.id); // for scripts: id=$(kms-insights exceptions add …)
  io.err(
    `Created exception ${created.id}, expiring ${input.expires}: ` +
      `${created.inForce ? "in force" : "waiting for approval"}, covering ${plural(created.keys, "key")}.`,
  );
  return 0;
}

async function change(argv: string[], db: PrismaClient, io: CliIO): Promise<number> {
  const { values: v, positionals } = parseFields(argv);
  if (positionals.length !== 1) throw new UsageError("Give the id of the exception to change.");
  const id = positionals[0]!;
  const current = await db.findingException.findUnique({ where: { id } });
  if (!current) throw new UsageError(`No exception has the id ${id}.`);
  const scope = scopeOf(v) ?? {
    keyArns: current.keyArns,
    accounts: current.keyArns.length ? [] : current.accounts,
    regions: current.keyArns.length ? [] : current.regions,
    tagKey: current.tagKey,
    tagValues: current.tagValues,
    aliasPrefix: current.aliasPrefix,
  };
  const input: NewExceptionInput = {
    kind: (v.kind ?? KIND_NAMES[current.kind]) as ExceptionKindName,
    justification: v.justification ?? current.justification,
    ownerEmail: v.owner ?? current.ownerEmail,
    expires: v.expires ?? current.expiresAt.toISOString().slice(0, 10),
    ticketUrl: v.ticket ?? current.ticketUrl ?? "",
    scope,
  };
  checkInput(input);
  const created = await createException(db, input, CLI, { replaces: id });
  io.out(created.id);
  io.err(
    `Created version ${created.version} of ${created.seriesId} (${created.id}), expiring ${input.expires}: ` +
      `${created.inForce ? `in force, covering ${plural(created.keys, "key")}; ${id} is replaced` : "waiting for approval"}.`,
  );
  return 0;
}

async function list(argv: string[], db: PrismaClient, io: CliIO): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { status: { type: "string", multiple: true }, json: { type: "boolean" } },
    strict: true,
  });
  const known: ExceptionState[] = [...EXCEPTION_STATES, "superseded"];
  const states = (values.status ?? []).map((s) => {
    const state = s.toLowerCase() as ExceptionState;
    if (!known.includes(state)) throw new UsageError(`--status "${s}": use ${known.join(", ")}.`);
    return state;
  });
  const rows = (await listAllExceptions(db, states, null)).map((x) => ({
    id: x.id,
    seriesId: x.seriesId,
    version: x.version,
    state: x.state,
    kind: x.kind,
    justification: x.justification,
    ownerEmail: x.ownerEmail,
    createdByEmail: x.createdByEmail,
    createdAt: x.createdAt,
    expiresAt: x.expiresAt,
    ticketUrl: x.ticketUrl,
    scope: describeScope(x.scope),
    keys: x.keysCovered,
    approvedByEmail: x.approvedByEmail,
    revokedByEmail: x.revokedByEmail,
    supersededBy: x.supersededBy,
  }));
  if (values.json) {
    io.out(JSON.stringify(rows, null, 2));
    return 0;
  }
  io.out(
    formatTable(
      ["ID", "VERSION", "STATE", "KIND", "OWNER", "EXPIRES", "KEYS", "SCOPE"],
      rows.map((x) => [
        x.id,
        String(x.version),
        x.state,
        x.kind,
        x.ownerEmail,
        x.expiresAt.toISOString().slice(0, 10),
        String(x.keys),
        x.scope,
      ]),
    ),
  );
  return 0;
}

function idArg(argv: string[], sub: string): string {
  const { positionals } = parseArgs({ args: argv, options: {}, strict: true, allowPositionals: true });
  if (positionals.length !== 1) throw new UsageError(`Give the id of the exception to ${sub}.`);
  return positionals[0]!;
}

const plural = (n: number, word: string) => `${n.toLocaleString("en-US")} ${word}${n === 1 ? "" : "s"}`;
