import { parseArgs } from "node:util";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import {
  addAccount,
  AccountError,
  listAccounts,
  removeAccount,
  removedMessage,
} from "@/lib/accounts/service";
import { testAccountAccess } from "@/lib/accounts/test-access";
import type { Actor } from "@/lib/audit/log";
import { formatTable, UsageError, type CliIO } from "./io";
import { unknownSubcommand, type CommandHelp } from "./help";

export const ACCOUNTS_HELP: CommandHelp = {
  command: "accounts",
  summary: "manage the AWS accounts to scan",
  usage: [
    "accounts add --id ID --name NAME --regions R1,R2",
    "         [--role-arn ARN [--external-id X] | --profile NAME] [--endpoint-url URL]",
    "accounts list",
    "accounts test --id ID",
    "accounts remove --id ID",
  ],
  description:
    "add: a new account to scan (without --role-arn or --profile, through the default AWS " +
    "credential chain of this host). list: every account. test: STS GetCallerIdentity and a KMS " +
    "call through the account's access; exits 1 when it fails. remove: the account and its keys' data.",
  options: [
    { flag: "--id ID", text: "the 12-digit AWS account id" },
    { flag: "--name NAME", text: "add: a name to show" },
    { flag: "--regions R1,R2", text: "add: the regions to scan, comma-separated" },
    { flag: "--role-arn ARN", text: "add: reach the account by assuming this role" },
    { flag: "--external-id X", text: "add, with --role-arn: the role's external id" },
    { flag: "--profile NAME", text: "add: reach the account with this profile of the AWS config files" },
    {
      flag: "--endpoint-url URL",
      text: "add: a KMS-compatible endpoint (see INSIGHTS_ALLOWED_ENDPOINT_HOSTS)",
    },
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
        throw unknownSubcommand("accounts", sub, ["add", "list", "test", "remove"]);
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
    },
  });
  if (v["role-arn"] && v.profile) throw new UsageError("Give either --role-arn or --profile, not both.");
  if (v["external-id"] && !v["role-arn"]) throw new UsageError("--external-id goes with --role-arn.");
  const account = await addAccount(
    db,
    {
      id: v.id ?? "",
      name: v.name ?? "",
      regions: (v.regions ?? "").split(",").filter(Boolean),
      accessMethod: v["role-arn"] ? "ROLE" : v.profile ? "PROFILE" : "DEFAULT_CHAIN",
      roleArn: v["role-arn"],
      externalId: v["external-id"],
      profile: v.profile,
      endpointUrl: v["endpoint-url"],
    },
    CLI,
  );
  io.err(
    `Added account ${account.id} (${account.name}): ${account.regions.join(", ")}, ${ACCESS_LABEL[account.accessMethod]}.`,
  );
  io.err("Check access with `kms-insights accounts test --id " + account.id + "`.");
  return 0;
}

async function list(db: PrismaClient, io: CliIO): Promise<number> {
  const accounts = await listAccounts(db);
  io.out(
    formatTable(
      ["ID", "NAME", "REGIONS", "ACCESS", "ENABLED", "LAST TEST"],
      accounts.map((a) => [
        a.id,
        a.name,
        a.regions.join(","),
        a.accessMethod === "ROLE"
          ? `role ${a.roleArn}${a.externalIdCipher ? " (external id)" : ""}`
          : a.accessMethod === "PROFILE"
            ? `profile ${a.profile}`
            : ACCESS_LABEL[a.accessMethod]!,
        a.enabled ? "yes" : "no",
        a.lastTestResult ?? "",
      ]),
    ),
  );
  return 0;
}
