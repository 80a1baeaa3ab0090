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

export const ACCOUNTS_USAGE = `Usage:
  npm run cli -- accounts add --id 123456789012 --name NAME --regions us-east-1,eu-west-1
        [--role-arn ARN [--external-id X] | --profile NAME] [--endpoint-url URL]
      (no access option: the default AWS credential chain of this host)
  npm run cli -- accounts list
  npm run cli -- accounts test --id 123456789012
  npm run cli -- accounts remove --id 123456789012`;

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
        io.out(removedMessage(id, viewersLeftWithNone));
        return 0;
      }
      case "test": {
        const id = requireId(rest);
        const result = await testAccountAccess(db, id, CLI);
        if (!result.ok) {
          io.err(`Access failed: ${result.message}`);
          return 1;
        }
        io.out(result.message);
        if (result.warning) io.err(`warning: ${result.warning}`);
        return result.warning ? 1 : 0;
      }
      default:
        throw new UsageError(sub ? `Unknown accounts command "${sub}".\n${ACCOUNTS_USAGE}` : ACCOUNTS_USAGE);
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
  io.out(
    `Added account ${account.id} (${account.name}): ${account.regions.join(", ")}, ${ACCESS_LABEL[account.accessMethod]}.`,
  );
  io.out("Check access with `npm run cli -- accounts test --id " + account.id + "`.");
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
