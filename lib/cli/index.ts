import { parseEnv, ConfigError, silenceSdkNodeNotice } from "@/lib/config/env";
import { prepareDatabase, type Prepared } from "@/lib/server/prepare";
import { runSandboxCli } from "@/lib/kms-sandbox";
import { ACCOUNTS_HELP, accountsCommand } from "./accounts";
import { ALERTS_HELP, alertsCommand } from "./alerts";
import { EXCEPTIONS_HELP, exceptionsCommand } from "./exceptions";
import { EXPORT_HELP, exportCommand } from "./export";
import { FIX_HELP, fixCommand } from "./fix";
import { formatHelp, isHelpRequest, PROGRAM, unknownOption, type CommandHelp } from "./help";
import { UsageError, processIO, type CliIO } from "./io";
import { SANDBOX_HELP } from "./sandbox-help";
import { SCAN_HELP, scanCommand } from "./scan";
import { SECRETS_HELP, secretsCommand } from "./secrets";
import { TOKENS_HELP, tokensCommand } from "./tokens";
import { USERS_HELP, usersCommand } from "./users";
import { ORGS_HELP, orgsCommand } from "./orgs";

type Handler = (argv: string[], prepared: Prepared, io: CliIO) => Promise<number>;

/**
 * `seed: false`: the command reads no reference data (the export's compliance mappings come from
 * the file), so it leaves the seeding to the server's and the worker's start (lib/server/prepare.ts).
 */
const DB_COMMANDS: Record<string, { help: CommandHelp; run: Handler; seed?: false }> = {
  users: { help: USERS_HELP, run: (argv, p, io) => usersCommand(argv, p.prisma, io) },
  accounts: { help: ACCOUNTS_HELP, run: (argv, p, io) => accountsCommand(argv, p.prisma, io) },
  scan: { help: SCAN_HELP, run: (argv, p, io) => scanCommand(argv, p.prisma, p.db.url, io) },
  exceptions: { help: EXCEPTIONS_HELP, run: (argv, p, io) => exceptionsCommand(argv, p.prisma, io) },
  secrets: { help: SECRETS_HELP, run: (argv, p, io) => secretsCommand(argv, p.prisma, io) },
  export: {
    help: EXPORT_HELP,
    run: (argv, p, io) => exportCommand(argv, { prisma: p.prisma, url: p.db.url }, io),
    seed: false,
  },
  fix: { help: FIX_HELP, run: (argv, p, io) => fixCommand(argv, p.prisma, p.db.url, io) },
  alerts: { help: ALERTS_HELP, run: (argv, p, io) => alertsCommand(argv, p.prisma, io) },
  tokens: { help: TOKENS_HELP, run: (argv, p, io) => tokensCommand(argv, p.prisma, io) },
  orgs: { help: ORGS_HELP, run: (argv, p, io) => orgsCommand(argv, p.prisma, io) },
};

const HELP: Record<string, CommandHelp> = {
  ...Object.fromEntries(Object.entries(DB_COMMANDS).map(([name, c]) => [name, c.help])),
  sandbox: SANDBOX_HELP,
};

export const USAGE = [
  `Usage: ${PROGRAM} <command> [options]`,
  `       (in the project: npx ${PROGRAM} … or npm run -s cli -- …)`,
  "",
  "The KMS Insights command line. Data (tables, CSV, JSON) goes to stdout; progress, notices and",
  "errors go to stderr. Exit codes: 0 done, 1 failed, 2 wrong usage.",
  "",
  "Commands:",
  ...Object.values(HELP).map((h) => `  ${h.command.padEnd(12)}${h.summary}`),
  `  ${"help".padEnd(12)}this text; \`help COMMAND\` (or \`COMMAND --help\`): a command's usage and options`,
].join("\n");

/** How to read more after a usage error. */
const hint = (command?: string) =>
  `Run \`${PROGRAM} ${command && HELP[command] ? `help ${command}` : "help"}\` for the usage.`;

/** Runs one CLI command; returns the exit code. Errors become one line on stderr, never a trace. */
export async function runCli(argv: string[], io: CliIO = processIO): Promise<number> {
  const [command, ...rest] = argv;
  if (!command) {
    io.err(USAGE);
    return 2;
  }
  if (command === "help" || command === "--help" || command === "-h") return help(rest[0], io);
  const helpText = HELP[command];
  if (!helpText) {
    io.err(`error: unknown command "${command}". ${hint()}`);
    return 2;
  }
  if (isHelpRequest(rest)) {
    io.out(formatHelp(helpText));
    return 0;
  }
  const unknown = unknownOption(helpText, rest);
  if (unknown) {
    io.err(`error: unknown option "${unknown}" for ${command}. ${hint(command)}`);
    return 2;
  }
  if (command === "sandbox") return runSandboxCli(rest);
  // The AWS SDK's notice about Node versions is for the operator of the console, who sees it
  // once at `npm start` (lib/server/console.ts); here it would only be noise on stderr.
  silenceSdkNodeNotice();
  let prepared: Prepared | undefined;
  try {
    const { run, seed } = DB_COMMANDS[command]!;
    prepared = await prepareDatabase(parseEnv(), { attach: true, poolSize: 4, seed });
    return await run(rest, prepared, io);
  } catch (err) {
    return reportError(err, io, command);
  } finally {
    await prepared?.close().catch(() => {});
  }
}

function help(command: string | undefined, io: CliIO): number {
  if (!command) {
    io.out(USAGE);
    return 0;
  }
  const text = HELP[command];
  if (!text) {
    io.err(`error: unknown command "${command}". ${hint()}`);
    return 2;
  }
  io.out(formatHelp(text));
  return 0;
}

export function reportError(err: unknown, io: CliIO, command?: string): number {
  if (err instanceof UsageError || err instanceof ConfigError) {
    io.err(`error: ${err.message}`);
    return 2;
  }
  // node:util parseArgs errors: unknown option, missing value. Their own text names the option
  // and, for an unknown one, suggests `--` (which none of these commands takes): cut that part.
  const code = (err as { code?: string }).code;
  if (code?.startsWith("ERR_PARSE_ARGS")) {
    const message = (err as Error).message.split(/\.\s+To specify a positional argument/)[0]!.trim();
    io.err(`error: ${message.replace(/\.?$/, ".")} ${hint(command)}`);
    return 2;
  }
  io.err(`error: ${err instanceof Error ? err.message : String(err)}`);
  return 1;
}
