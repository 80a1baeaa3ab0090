import { parseArgs } from "node:util";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { Actor } from "@/lib/audit/log";
import {
  addOrganization,
  listOrganizations,
  OrganizationError,
  removeOrganization,
  updateOrganization,
} from "@/lib/organizations/service";
import { describeSyncSummary, readSyncSummary } from "@/lib/organizations/summary";
import { syncOrganization, type SyncResult } from "@/lib/organizations/sync";
import { formatTable, UsageError, type CliIO } from "./io";
import { unknownSubcommand, type CommandHelp } from "./help";

export const ORGS_HELP: CommandHelp = {
  command: "orgs",
  summary: "add AWS organizations whose accounts are scanned, sync them",
  usage: [
    "orgs add --name NAME --member-role-name NAME [--member-external-id X]",
    "         [--role-arn ARN [--external-id X] | --profile NAME] [--endpoint-url URL]",
    "         [--include-ous OU1,OU2] [--exclude-ous OU3] [--allow-regions R1,R2] [--deny-regions R3]",
    "orgs update --id ID [--name NAME] [--role-arn ARN | --profile NAME | --default-chain]",
    "         [--external-id X | --clear-external-id] [--endpoint-url URL | --no-endpoint-url]",
    "         [--member-role-name NAME] [--member-external-id X | --clear-member-external-id]",
    "         [--include-ous OU1,OU2] [--exclude-ous OU3] [--allow-regions R1,R2] [--deny-regions R3]",
    "orgs sync [--id ID]",
    "orgs list",
    "orgs remove ID [--remove-accounts]",
  ],
  description:
    "add: an organization, reached through its management account or a delegated administrator " +
    "(without --role-arn or --profile, the default AWS credential chain of this host), then a first " +
    "sync. update: change what is given, keep the rest (an empty list, --include-ous '', clears it); " +
    "a new member role name or external id applies to the accounts the organization manages too. " +
    "Each member account is scanned by assuming --member-role-name in it, in all its enabled " +
    "regions (less --deny-regions; only --allow-regions when given). sync: list the accounts of one " +
    "organization (--id) or of every one: new active accounts are added, names, OU paths and statuses " +
    "updated, suspended, closed and departed accounts marked and no longer scanned (their data kept); " +
    "progress on stderr, the summary on stdout; exits 1 when a sync failed. list: every organization " +
    "and its last sync. remove: the organization; its accounts stay as accounts added by hand, unless " +
    "--remove-accounts removes them and their keys' data too.",
  options: [
    { flag: "--id ID", text: "update, sync, remove: the organization's id (from `orgs list`)" },
    { flag: "--name NAME", text: "add: a name to show" },
    { flag: "--role-arn ARN", text: "add: reach the management account by assuming this role" },
    { flag: "--external-id X", text: "add, with --role-arn: the role's external id" },
    { flag: "--profile NAME", text: "add: reach the management account with this profile" },
    {
      flag: "--endpoint-url URL",
      text: "add: an endpoint for every call (see INSIGHTS_ALLOWED_ENDPOINT_HOSTS)",
    },
    { flag: "--member-role-name NAME", text: "add: the read-only role to assume in each member account" },
    { flag: "--member-external-id X", text: "add: that role's external id" },
    { flag: "--include-ous OU1,OU2", text: "add: scan only accounts under these OUs (or roots)" },
    { flag: "--exclude-ous OU1,OU2", text: "add: never scan accounts under these OUs" },
    { flag: "--allow-regions R1,R2", text: "add: scan only these of the enabled regions" },
    { flag: "--deny-regions R1,R2", text: "add: never scan these regions" },
    { flag: "--default-chain", text: "update: reach the management account with this host's default chain" },
    { flag: "--clear-external-id", text: "update: remove the stored management external id" },
    { flag: "--clear-member-external-id", text: "update: remove the stored member external id" },
    { flag: "--no-endpoint-url", text: "update: stop using an endpoint" },
    { flag: "--remove-accounts", text: "remove: remove its accounts and their keys' data too" },
  ],
};

const CLI: Actor = { actorEmail: "cli" };

const list = (v: string | undefined) =>
  (v ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

export async function orgsCommand(argv: string[], db: PrismaClient, io: CliIO): Promise<number> {
  const [sub, ...rest] = argv;
  try {
    switch (sub) {
      case "add":
        return await add(rest, db, io);
      case "update":
        return await update(rest, db, io);
      case "sync":
        return await sync(rest, db, io);
      case "list":
        parseArgs({ args: rest, options: {}, strict: true });
        return await listCommand(db, io);
      case "remove":
        return await remove(rest, db, io);
      default:
        throw unknownSubcommand("orgs", sub, ["add", "update", "sync", "list", "remove"]);
    }
  } catch (err) {
    if (err instanceof OrganizationError) throw new UsageError(err.message);
    throw err;
  }
}

async function add(argv: string[], db: PrismaClient, io: CliIO): Promise<number> {
  const { values: v } = parseArgs({
    args: argv,
    strict: true,
    options: {
      name: { type: "string" },
      "role-arn": { type: "string" },
      "external-id": { type: "string" },
      profile: { type: "string" },
      "endpoint-url": { type: "string" },
      "member-role-name": { type: "string" },
      "member-external-id": { type: "string" },
      "include-ous": { type: "string" },
      "exclude-ous": { type: "string" },
      "allow-regions": { type: "string" },
      "deny-regions": { type: "string" },
    },
  });
  if (v["role-arn"] && v.profile) throw new UsageError("Give either --role-arn or --profile, not both.");
  if (v["external-id"] && !v["role-arn"]) throw new UsageError("--external-id goes with --role-arn.");
  const org = await addOrganization(
    db,
    {
      name: v.name ?? "",
      accessMethod: v["role-arn"] ? "ROLE" : v.profile ? "PROFILE" : "DEFAULT_CHAIN",
      roleArn: v["role-arn"],
      externalId: v["external-id"],
      profile: v.profile,
      endpointUrl: v["endpoint-url"],
      memberRoleName: v["member-role-name"] ?? "",
      memberExternalId: v["member-external-id"],
      includeOus: list(v["include-ous"]),
      excludeOus: list(v["exclude-ous"]),
      regionAllow: list(v["allow-regions"]),
      regionDeny: list(v["deny-regions"]),
    },
    CLI,
  );
  io.err(`Added organization ${org.name} (id ${org.id}). Syncing it…`);
  return report([await syncWithProgress(db, org.id, io)], io);
}

async function update(argv: string[], db: PrismaClient, io: CliIO): Promise<number> {
  const { values: v } = parseArgs({
    args: argv,
    strict: true,
    options: {
      id: { type: "string" },
      name: { type: "string" },
      "role-arn": { type: "string" },
      "external-id": { type: "string" },
      "clear-external-id": { type: "boolean" },
      profile: { type: "string" },
      "default-chain": { type: "boolean" },
      "endpoint-url": { type: "string" },
      "no-endpoint-url": { type: "boolean" },
      "member-role-name": { type: "string" },
      "member-external-id": { type: "string" },
      "clear-member-external-id": { type: "boolean" },
      "include-ous": { type: "string" },
      "exclude-ous": { type: "string" },
      "allow-regions": { type: "string" },
      "deny-regions": { type: "string" },
    },
  });
  if (!v.id) throw new UsageError("Name the organization: orgs update --id ID (ids from `orgs list`).");
  if ([v["role-arn"], v.profile, v["default-chain"]].filter((x) => x !== undefined).length > 1)
    throw new UsageError("Give one of --role-arn, --profile or --default-chain.");
  if (v["external-id"] !== undefined && v["clear-external-id"])
    throw new UsageError("Give either --external-id or --clear-external-id, not both.");
  if (v["member-external-id"] !== undefined && v["clear-member-external-id"])
    throw new UsageError("Give either --member-external-id or --clear-member-external-id, not both.");
  if (v["endpoint-url"] !== undefined && v["no-endpoint-url"])
    throw new UsageError("Give either --endpoint-url or --no-endpoint-url, not both.");
  const org = await db.organization.findUnique({ where: { id: v.id } });
  if (!org) throw new UsageError(`Organization ${v.id} is not configured.`);
  const accessMethod = v["role-arn"]
    ? "ROLE"
    : v.profile
      ? "PROFILE"
      : v["default-chain"]
        ? "DEFAULT_CHAIN"
        : org.accessMethod;
  if (v["external-id"] !== undefined && accessMethod !== "ROLE")
    throw new UsageError("--external-id goes with a role (--role-arn, or an organization reached by one).");
  const given = (flag: string | undefined, kept: string[]) => (flag === undefined ? kept : list(flag));
  const updated = await updateOrganization(
    db,
    org.id,
    {
      name: v.name ?? org.name,
      accessMethod: accessMethod as "ROLE" | "PROFILE" | "DEFAULT_CHAIN",
      roleArn: accessMethod === "ROLE" ? (v["role-arn"] ?? org.roleArn ?? undefined) : undefined,
      externalId: v["external-id"],
      clearExternalId: v["clear-external-id"],
      profile: accessMethod === "PROFILE" ? (v.profile ?? org.profile ?? undefined) : undefined,
      endpointUrl: v["no-endpoint-url"] ? undefined : (v["endpoint-url"] ?? org.endpointUrl ?? undefined),
      memberRoleName: v["member-role-name"] ?? org.memberRoleName,
      memberExternalId: v["member-external-id"],
      clearMemberExternalId: v["clear-member-external-id"],
      includeOus: given(v["include-ous"], org.includeOus),
      excludeOus: given(v["exclude-ous"], org.excludeOus),
      regionAllow: given(v["allow-regions"], org.regionAllow),
      regionDeny: given(v["deny-regions"], org.regionDeny),
    },
    CLI,
  );
  io.err(`Saved organization ${updated.name} (id ${updated.id}). Its rules apply from the next sync.`);
  return 0;
}

async function sync(argv: string[], db: PrismaClient, io: CliIO): Promise<number> {
  const { values: v } = parseArgs({ args: argv, strict: true, options: { id: { type: "string" } } });
  const ids = v.id
    ? [v.id]
    : (await db.organization.findMany({ select: { id: true }, orderBy: { name: "asc" } })).map((o) => o.id);
  if (!ids.length) throw new UsageError("No organization is configured. Add one with `orgs add`.");
  const results: SyncResult[] = [];
  for (const id of ids) results.push(await syncWithProgress(db, id, io));
  return report(results, io);
}

async function syncWithProgress(db: PrismaClient, id: string, io: CliIO): Promise<SyncResult> {
  let last = "";
  return syncOrganization(db, id, {
    actor: CLI,
    onProgress: (p) => {
      const line = `${p.done} of ${p.listed} accounts listed so far done`;
      if (line !== last) io.err(line);
      last = line;
    },
  });
}

function report(results: SyncResult[], io: CliIO): number {
  for (const r of results) {
    if (r.busy) io.err(r.error!);
    else if (!r.ok) io.err(`Sync of ${r.name} failed: ${r.error}`);
    else {
      io.out(`${r.name}: ${describeSyncSummary(r.summary!)}`);
      for (const p of r.summary!.problems) io.err(`  ${p}`);
    }
  }
  return results.every((r) => r.ok) ? 0 : 1;
}

async function listCommand(db: PrismaClient, io: CliIO): Promise<number> {
  const orgs = await listOrganizations(db);
  io.out(
    formatTable(
      ["ID", "NAME", "ACCESS", "MEMBER ROLE", "ACCOUNTS", "LAST SYNC", "RESULT"],
      orgs.map((o) => {
        const summary = readSyncSummary(o.lastSyncSummary);
        return [
          o.id,
          o.name,
          o.accessMethod === "ROLE"
            ? `role ${o.roleArn}`
            : o.accessMethod === "PROFILE"
              ? `profile ${o.profile}`
              : o.isDemo
                ? "demo sandbox"
                : "default chain",
          o.memberRoleName,
          `${o.activeCount} active of ${o.accountCount}`,
          o.lastSyncAt ? o.lastSyncAt.toISOString().slice(0, 16).replace("T", " ") : "never",
          o.lastSyncError ? `failed: ${o.lastSyncError}` : summary ? describeSyncSummary(summary) : "",
        ];
      }),
    ),
  );
  return 0;
}

async function remove(argv: string[], db: PrismaClient, io: CliIO): Promise<number> {
  const { values: v, positionals } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: true,
    options: { id: { type: "string" }, "remove-accounts": { type: "boolean" } },
  });
  // `orgs remove ID` or `orgs remove --id ID`.
  const id = v.id ?? positionals[0];
  if (!id || positionals.length > (v.id ? 0 : 1))
    throw new UsageError("Name one organization: orgs remove ID.");
  const keepAccounts = !v["remove-accounts"];
  const removed = await removeOrganization(db, id, { keepAccounts }, CLI);
  io.err(
    keepAccounts
      ? `Removed organization ${removed.name}; its ${removed.accounts} account(s) stay, as accounts added by hand.`
      : `Removed organization ${removed.name} and its ${removed.accounts} account(s) with their keys' data.`,
  );
  return 0;
}
