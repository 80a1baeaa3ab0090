import { parseEnv, ConfigError } from "@/lib/config/env";
import { prepareDatabase, type Prepared } from "@/lib/server/prepare";
import { runSandboxCli, SANDBOX_USAGE } from "@/lib/kms-sandbox";
import { ACCOUNTS_USAGE, accountsCommand } from "./accounts";
import { EXCEPTIONS_USAGE, exceptionsCommand } from "./exceptions";
import { EXPORT_USAGE, exportCommand } from "./export";
import { UsageError, processIO, type CliIO } from "./io";
import { SCAN_USAGE, scanCommand } from "./scan";
import { SECRETS_USAGE, secretsCommand } from "./secrets";
import { USERS_USAGE, usersCommand } from "./users";

export const USAGE = `KMS Insights command line

Usage: npm run cli -- <command> [options]

Commands:
  users add|list|role|disable|enable|reset-password|scope
                                  manage who can sign in
  accounts add|list|test|remove   manage the AWS accounts to scan
  scan                            scan now, with progress and a summary
  exceptions add|list|approve|revoke|change
                                  accepted risks and false positives
  secrets rotate                  re-encrypt stored secrets with the current key
  export                          the key rotation insight as CSV, to stdout
  sandbox                         run the built-in KMS sandbox standalone
  help                            this text

${USERS_USAGE}

${ACCOUNTS_USAGE}

${SCAN_USAGE}

${EXCEPTIONS_USAGE}

${SECRETS_USAGE}

${EXPORT_USAGE}

${SANDBOX_USAGE}`;

type Handler = (argv: string[], prepared: Prepared, io: CliIO) => Promise<number>;

const DB_COMMANDS: Record<string, Handler> = {
  users: (argv, p, io) => usersCommand(argv, p.prisma, io),
  accounts: (argv, p, io) => accountsCommand(argv, p.prisma, io),
  scan: (argv, p, io) => scanCommand(argv, p.prisma, p.db.url, io),
  exceptions: (argv, p, io) => exceptionsCommand(argv, p.prisma, io),
  secrets: (argv, p, io) => secretsCommand(argv, p.prisma, io),
  export: (argv, p, io) => exportCommand(argv, { prisma: p.prisma, url: p.db.url }, io),
};

/** Runs one CLI command; returns the exit code. Errors become one line on stderr, never a trace. */
export async function runCli(argv: string[], io: CliIO = processIO): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === "help" || command === "--help" || command === "-h") {
    io.out(USAGE);
    return command ? 0 : 2;
  }
  if (command === "sandbox") return runSandboxCli(rest);
  const handler = DB_COMMANDS[command];
  if (!handler) {
    io.err(`error: unknown command "${command}". Run \`npm run cli -- help\` for the list.`);
    return 2;
  }
  let prepared: Prepared | undefined;
  try {
    prepared = await prepareDatabase(parseEnv(), { attach: true, poolSize: 4 });
    return await handler(rest, prepared, io);
  } catch (err) {
    return reportError(err, io);
  } finally {
    await prepared?.close().catch(() => {});
  }
}

export function reportError(err: unknown, io: CliIO): number {
  if (err instanceof UsageError || err instanceof ConfigError) {
    io.err(`error: ${err.message}`);
    return 2;
  }
  // node:util parseArgs errors: unknown option, missing value
  const code = (err as { code?: string }).code;
  if (code?.startsWith("ERR_PARSE_ARGS")) {
    io.err(`error: ${(err as Error).message}`);
    return 2;
  }
  io.err(`error: ${err instanceof Error ? err.message : String(err)}`);
  return 1;
}
