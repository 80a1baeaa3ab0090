import { parseArgs } from "node:util";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { AccountInput, RemediationMethod } from "@/lib/accounts/schema";
import {
  addAccount,
  AccountError,
  listAccounts,
  removeAccount,
  removedMessage,
  updateAccount,
} from "@/lib/accounts/service";
import { testAccountAccess } from "@/lib/accounts/test-access";
import { refreshRegionsOf } from "@/lib/organizations/regions";
import type { Actor } from "@/lib/audit/log";
import { formatTable, UsageError, type CliIO } from "./io";
import { unknownSubcommand, type CommandHelp } from "./help";

export const ACCOUNTS_HELP: CommandHelp = {
  command: "accounts",
  summary: "manage the AWS accounts to scan",
  usage: [
    "accounts add --id ID --name NAME --regions R1,R2 | --all-enabled-regions",
    "         [--role-arn ARN [--external-id X] | --profile NAME] [--endpoint-url URL]",
    "         [--remediation-role-arn ARN [--remediation-external-id X]",
    "          | --remediation-profile NAME]",
    "accounts update --id ID [--name NAME] [--regions R1,R2 | --all-enabled-regions]",
    "         [--remediation-role-arn ARN [--remediation-external-id X]",
    "          | --remediation-profile NAME | --no-remediation]",
    "accounts list",
    "accounts test --id ID",
    "accounts remove --id ID",
  ],
  description:
    "add: a new account to scan (without --role-arn or --profile, through the default AWS " +
    "credential chain of this host). update: the name, regions or remediation access of an account; " +
    "what is not given stays as it is. Remediation access is a separate write access used only to fix keys; " +
    "without it the console gives the AWS CLI commands. list: every account. test: STS GetCallerIdentity and a KMS " +
    "call through the account's access; exits 1 when it fails. remove: the account and its keys' data.",
  options: [
    { flag: "--id ID", text: "the 12-digit AWS account id" },
    { flag: "--name NAME", text: "add: a name to show" },
    { flag: "--regions R1,R2", text: "add, update: the regions to scan, comma-separated" },
    {
      flag: "--all-enabled-regions",
      text: "add, update: scan every enabled region, read with the Account API (account:ListRegions) now and before each scheduled scan",
    },
    { flag: "--role-arn ARN", text: "add: reach the account by assuming this role" },
    { flag: "--external-id X", text: "add, with --role-arn: the role's external id" },
    { flag: "--profile NAME", text: "add: reach the account with this profile of the AWS config files" },
    {
      flag: "--endpoint-url URL",
      text: "add: a KMS-compatible endpoint (see INSIGHTS_ALLOWED_ENDPOINT_HOSTS)",
    },
    { flag: "--remediation-role-arn ARN", text: "add, update: fix keys by assuming this write role" },
    {
      flag: "--remediation-external-id X",
      text: "add, update, with --remediation-role-arn: the write role's external id",
    },
    {
      flag: "--remediation-profile NAME",
      text: "add, update: fix keys with this profile of the AWS config files",
    },
    { flag: "--no-remediation", text: "update: remove the remediation access (the default on add)" },
  ],
};

const CLI: Actor = { actorEmail: "cli" };

const ACCESS_LABEL: Record<string, string> = {
  DEFAULT_CHAIN: "default chain",
  PROFILE: "profile",
  ROLE: "assume role",
  SANDBOX: "demo sandbox",
};

export async function accountsCommand(argv: string[], db: PrismaClient, io: CliIO): Promise<number> {
  const [sub, ...rest] = argv;
  try {
    switch (sub) {
      case "add":
        return await add(rest, db, io);
      case "update":
        return await update(rest, db, io);
      case "list":
        parseArgs({ args: rest, options: {}, strict: true });
        return await list(db, io);
      case "remove": {
        const id = requireId(rest);
        const { viewersLeftWithNone } = await removeAccount(db, id, CLI);
        io.err(removedMessage(id, viewersLeftWithNone));
        return 0;
      }
      case "test": {
        const id = requireId(rest);
        const result = await testAccountAccess(db, id, CLI);
        if (!result.ok) {
          io.err(`Access failed: ${result.message}`);
          return 1;
        }
        io.err(result.message);
        if (result.warning) io.err(`warning: ${result.warning}`);
        return result.warning ? 1 : 0;
      }
      default:
        throw unknownSubcommand("accounts", sub, ["add", "update", "list", "test", "remove"]);
    }
  } catch (err) {
    if (err instanceof AccountError) throw new UsageError(err.message);
    throw err;
  }
}

function requireId(argv: string[]): string {
  const { values } = parseArgs({ args: argv, options: { id: { type: "string" } }, strict: true });
  if (!values.id) throw new UsageError("--id is required.");
  return values.id;
}

const REMEDIATION_OPTIONS = {
  "remediation-role-arn": { type: "string" },
  "remediation-external-id": { type: "string" },
  "remediation-profile": { type: "string" },
  "no-remediation": { type: "boolean" },
} as const;

type RemediationFlags = {
  "remediation-role-arn"?: string;
  "remediation-external-id"?: string;
  "remediation-profile"?: string;
  "no-remediation"?: boolean;
};

/** The remediation access the flags ask for; undefined when they say nothing about it. */
function remediationInput(v: RemediationFlags): Partial<AccountInput> | undefined {
  const role = v["remediation-role-arn"];
  const profile = v["remediation-profile"];
  if (role && profile)
    throw new UsageError("Give either --remediation-role-arn or --remediation-profile, not both.");
  if (v["remediation-external-id"] && !role)
    throw new UsageError("--remediation-external-id goes with --remediation-role-arn.");
  if (v["no-remediation"] && (role || profile))
    throw new UsageError("--no-remediation removes the remediation access: give no other remediation flag.");
  if (v["no-remediation"]) return { remediationMethod: "NONE" };
  if (role)
    return {
      remediationMethod: "ROLE",
      remediationRoleArn: role,
      remediationExternalId: v["remediation-external-id"],
    };
  if (profile) return { remediationMethod: "PROFILE", remediationProfile: profile };
  return undefined;
}

function remediationLabel(a: {
  remediationMethod: string | null;
  remediationRoleArn: string | null;
  remediationProfile: string | null;
  remediationExternalIdCipher: string | null;
}) {
  if (!a.remediationMethod) return "none";
  if (a.remediationMethod === "ROLE")
    return `role ${a.remediationRoleArn}${a.remediationExternalIdCipher ? " (external id)" : ""}`;
  if (a.remediationMethod === "PROFILE") return `profile ${a.remediationProfile}`;
  return ACCESS_LABEL[a.remediationMethod] ?? a.remediationMethod;
}

async function update(argv: string[], db: PrismaClient, io: CliIO): Promise<number> {
  const { values: v } = parseArgs({
    args: argv,
    strict: true,
    options: {
      id: { type: "string" },
      name: { type: "string" },
      regions: { type: "string" },
      "all-enabled-regions": { type: "boolean" },
      ...REMEDIATION_OPTIONS,
    },
  });
  if (!v.id) throw new UsageError("--id is required.");
  if (v.regions !== undefined && v["all-enabled-regions"])
    throw new UsageError("Give either --regions or --all-enabled-regions, not both.");
  const remediation = remediationInput(v);
  const existing = await db.awsAccount.findUnique({ where: { id: v.id } });
  if (!existing) throw new UsageError(`Account ${v.id} is not configured.`);
  if (existing.accessMethod === "SANDBOX")
    throw new UsageError(`Account ${v.id} is a demo account: it cannot be changed.`);
  const account = await updateAccount(
    db,
    {
      id: existing.id,
      name: v.name ?? existing.name,
      regionMode: v["all-enabled-regions"]
        ? "ALL_ENABLED"
        : v.regions !== undefined
          ? "LISTED"
          : existing.regionMode,
      regions: v.regions !== undefined ? v.regions.split(",").filter(Boolean) : existing.regions,
      accessMethod: existing.accessMethod,
      profile: existing.profile ?? undefined,
      roleArn: existing.roleArn ?? undefined,
      endpointUrl: existing.endpointUrl ?? undefined,
      enabled: existing.enabled,
      // Left out: the stored remediation access stays, its external id too (updateAccount keeps it).
      ...(remediation ?? {
        remediationMethod: (existing.remediationMethod ?? "NONE") as RemediationMethod,
        remediationRoleArn: existing.remediationRoleArn ?? undefined,
        remediationProfile: existing.remediationProfile ?? undefined,
      }),
    },
    CLI,
  );
  io.err(`Updated account ${account.id} (${account.name}): remediation access ${remediationLabel(account)}.`);
  await reportDiscovery(db, account.id, io);
  return 0;
}

async function add(argv: string[], db: PrismaClient, io: CliIO): Promise<number> {
  const { values: v } = parseArgs({
    args: argv,
    strict: true,
    options: {
      id: { type: "string" },
      name: { type: "string" },
      regions: { type: "string" },
      "role-arn": { type: "string" },
      "external-id": { type: "string" },
      profile: { type: "string" },
      "endpoint-url": { type: "string" },
      "all-enabled-regions": { type: "boolean" },
      ...REMEDIATION_OPTIONS,
    },
  });
  if (v.regions !== undefined && v["all-enabled-regions"])
    throw new UsageError("Give either --regions or --all-enabled-regions, not both.");
  const remediation = remediationInput(v);
  if (v["role-arn"] && v.profile) throw new UsageError("Give either --role-arn or --profile, not both.");
  if (v["external-id"] && !v["role-arn"]) throw new UsageError("--external-id goes with --role-arn.");
  const account = await addAccount(
    db,
    {
      id: v.id ?? "",
      name: v.name ?? "",
      regionMode: v["all-enabled-regions"] ? "ALL_ENABLED" : "LISTED",
      regions: (v.regions ?? "").split(",").filter(Boolean),
      accessMethod: v["role-arn"] ? "ROLE" : v.profile ? "PROFILE" : "DEFAULT_CHAIN",
      roleArn: v["role-arn"],
      externalId: v["external-id"],
      profile: v.profile,
      endpointUrl: v["endpoint-url"],
      ...remediation,
    },
    CLI,
  );
  io.err(
    `Added account ${account.id} (${account.name}): ${account.regionMode === "ALL_ENABLED" ? "all enabled regions" : account.regions.join(", ")}, ${ACCESS_LABEL[account.accessMethod]}, ` +
      `remediation access ${remediationLabel(account)}.`,
  );
  await reportDiscovery(db, account.id, io);
  io.err("Check access with `kms-insights accounts test --id " + account.id + "`.");
  return 0;
}

/** For an "all enabled regions" account: its regions, read now, or why they could not be. */
async function reportDiscovery(db: PrismaClient, id: string, io: CliIO): Promise<void> {
  const discovered = await refreshRegionsOf(db, id);
  if (!discovered) return;
  if (discovered.error)
    io.err(
      `warning: its regions could not be read (${discovered.error}); it keeps ${discovered.regions.join(", ") || "no region"} until they can.`,
    );
  else io.err(`Enabled regions: ${discovered.regions.join(", ") || "none"}.`);
}

async function list(db: PrismaClient, io: CliIO): Promise<number> {
  const accounts = await listAccounts(db);
  io.out(
    formatTable(
      ["ID", "NAME", "REGIONS", "ACCESS", "REMEDIATION", "ENABLED", "LAST TEST"],
      accounts.map((a) => [
        a.id,
        a.name,
        a.regionMode === "ALL_ENABLED" ? `all enabled: ${a.regions.join(",")}` : a.regions.join(","),
        a.accessMethod === "ROLE"
          ? `role ${a.roleArn}${a.externalIdCipher ? " (external id)" : ""}`
          : a.accessMethod === "PROFILE"
            ? `profile ${a.profile}`
            : ACCESS_LABEL[a.accessMethod]!,
        remediationLabel(a),
        a.enabled ? "yes" : "no",
        a.lastTestResult ?? "",
      ]),
    ),
  );
  return 0;
}
