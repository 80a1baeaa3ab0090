import { parseArgs } from "node:util";
import { sandboxEnvironment } from "./client-config";
import { sandboxCredentialsFor } from "./credentials";
import { demoEstate, generateEstate, type Estate } from "./estate";
import type { SandboxFaults } from "./faults";
import { startSandbox, type RunningSandbox } from "./server";

export const SANDBOX_USAGE =
  "usage: sandbox [--port 4566] [--host 127.0.0.1] [--accounts 3] [--regions us-east-1,eu-west-1] [--keys 30] [--seed 1] " +
  "[--organization] [--ous 12] [--latency MS] [--throttle RATE] [--server-errors RATE] [--drop RATE] [--hostile] [--demo]";

export interface SandboxCliOptions {
  port: number;
  host: string;
  accounts: number;
  regions: string[];
  keysPerRegion: number;
  seed: string;
  demo: boolean;
  /** OUs of the generated organization; undefined: no organization. */
  ous?: number;
  faults: SandboxFaults;
}

export class SandboxUsageError extends Error {}

function integer(name: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max)
    throw new SandboxUsageError(
      `--${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(text)}`,
    );
  return value;
}

function rate(name: string, text: string): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || value < 0 || value > 1)
    throw new SandboxUsageError(`--${name} must be a number from 0 to 1, got ${JSON.stringify(text)}`);
  return value;
}

/** Parses the sandbox command line; throws SandboxUsageError with a one-line message. */
export function parseSandboxArgs(argv: string[]): SandboxCliOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: "string", default: "4566" },
        host: { type: "string", default: "127.0.0.1" },
        accounts: { type: "string", default: "3" },
        regions: { type: "string", default: "us-east-1,eu-west-1" },
        keys: { type: "string", default: "30" },
        seed: { type: "string", default: "1" },
        latency: { type: "string" },
        throttle: { type: "string" },
        "server-errors": { type: "string" },
        drop: { type: "string" },
        hostile: { type: "boolean", default: false },
        demo: { type: "boolean", default: false },
        organization: { type: "boolean", default: false },
        ous: { type: "string" },
      },
    }));
  } catch (error) {
    throw new SandboxUsageError((error as Error).message.split("\n")[0]);
  }
  const text = (name: string) => values[name] as string;
  const regions = text("regions")
    .split(",")
    .map((r) => r.trim())
    .filter(Boolean);
  const badRegion = regions.find((r) => !/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/.test(r));
  if (regions.length === 0 || badRegion !== undefined)
    throw new SandboxUsageError(
      `--regions must be a comma-separated list of region names, got ${JSON.stringify(text("regions"))}`,
    );
  if (new Set(regions).size !== regions.length)
    throw new SandboxUsageError("--regions must not repeat a region");

  const faults: SandboxFaults = {};
  if (values.latency !== undefined) faults.latencyMs = integer("latency", text("latency"), 0, 60_000);
  if (values.throttle !== undefined) faults.throttleRate = rate("throttle", text("throttle"));
  if (values["server-errors"] !== undefined)
    faults.serverErrorRate = rate("server-errors", text("server-errors"));
  if (values.drop !== undefined) faults.dropRate = rate("drop", text("drop"));
  if (values.hostile) faults.hostile = true;

  return {
    port: integer("port", text("port"), 0, 65_535),
    host: text("host"),
    accounts: integer("accounts", text("accounts"), 1, 1000),
    regions,
    keysPerRegion: integer("keys", text("keys"), 0, 10_000),
    seed: text("seed"),
    demo: values.demo === true,
    ...(values.organization || values.ous !== undefined
      ? { ous: values.ous === undefined ? 12 : integer("ous", text("ous"), 0, 1000) }
      : {}),
    faults,
  };
}

/** The text printed when the sandbox is up: URL, accounts, credentials, roles, and how to use them. */
export function describeSandbox(
  sandbox: RunningSandbox,
  options: SandboxCliOptions,
  maxAccounts = 10,
): string {
  const { estate, url } = sandbox;
  const lines = [
    `KMS sandbox listening on ${url}`,
    summarize(estate, options),
    "",
    "Accounts (static credentials reach any account directly):",
  ];
  for (const account of estate.accounts.slice(0, maxAccounts)) {
    const creds = sandboxCredentialsFor(account.id);
    lines.push(`  ${account.id}  ${account.name}`);
    lines.push(`    access key ${creds.accessKeyId}  secret ${creds.secretAccessKey}`);
    const roles = [account.role, account.remediationRole, account.memberRole].flatMap((role) =>
      role ? [role] : [],
    );
    if (roles.length === 0) lines.push("    no assumable role");
    for (const role of roles)
      lines.push(
        `    role ${role.roleArn}${role.externalId ? `  ExternalId ${role.externalId}` : "  (no ExternalId)"}${role.canWrite ? "  (may enable/disable rotation)" : ""}`,
      );
  }
  if (estate.accounts.length > maxAccounts)
    lines.push(`  ... ${estate.accounts.length - maxAccounts} more: curl ${url}/__sandbox/accounts`);
  lines.push(...describeOrganization(estate, url));
  const [first] = estate.accounts;
  const [region] = estate.regions;
  if (!first || !region) return lines.join("\n");
  const env = sandboxEnvironment(url, first.id, region);
  lines.push(
    "",
    "Point the AWS CLI or an SDK at it:",
    ...Object.entries(env).map(([k, v]) => `  export ${k}=${v}`),
    "  aws kms list-keys",
    ...(estate.organization ? ["  aws organizations list-accounts", "  aws account list-regions"] : []),
  );
  const withRole = estate.accounts.find((a) => a.role);
  if (withRole?.role) {
    const ext = withRole.role.externalId ? ` --external-id ${withRole.role.externalId}` : "";
    lines.push(
      `  aws sts assume-role --role-arn ${withRole.role.roleArn} --role-session-name kms-insights${ext}`,
    );
  }
  lines.push(
    "",
    `Stats: curl ${url}/__sandbox/stats`,
    `Faults: curl -X POST ${url}/__sandbox/faults -d '{"throttleRate":0.3,"latencyMs":25}'`,
  );
  return lines.join("\n");
}

function describeOrganization(estate: Estate, url: string): string[] {
  const org = estate.organization;
  if (!org) return [];
  const withoutRole = estate.accounts.filter((a) => !a.memberRole).map((a) => a.id);
  const suspended = org.members.filter((m) => m.status === "SUSPENDED").map((m) => m.accountId);
  return [
    "",
    `Organization ${org.id}: management account ${org.managementAccountId}, ${org.units.length} OUs, ${org.members.length} accounts (first account's credentials call Organizations and the Account API)`,
    `  member role ${org.memberRole.roleName}  ExternalId ${org.memberRole.externalId}; missing in ${withoutRole.join(", ") || "none"}`,
    `  suspended ${suspended.join(", ") || "none"}; delegated administrator ${org.delegatedAdministrators.join(", ") || "none"}`,
    org.leaverId
      ? `  ${org.leaverId} leaves after the first complete ListAccounts (or: curl -X POST ${url}/__sandbox/organization/leave -d '{"accountId":"ID"}')`
      : `  no account leaves by itself (curl -X POST ${url}/__sandbox/organization/leave -d '{"accountId":"ID"}')`,
    `  tree: curl ${url}/__sandbox/organization`,
  ];
}

function summarize(estate: Estate, options: SandboxCliOptions): string {
  const keys = estate.accounts.reduce(
    (n, a) => n + Object.values(a.regions).reduce((m, r) => m + r.keys.length, 0),
    0,
  );
  const shape = `${estate.accounts.length} accounts × ${estate.regions.length} regions (${estate.regions.join(", ")}), ${keys} keys, seed ${estate.seed}`;
  const faults = Object.keys(options.faults).length > 0 ? `; faults ${JSON.stringify(options.faults)}` : "";
  return `Estate: ${shape}${faults}`;
}

export interface SandboxCliIo {
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
  /** Stops the sandbox when aborted (default: SIGINT or SIGTERM). */
  signal?: AbortSignal;
}

/** Runs the sandbox until interrupted. Resolves with the process exit code (2 for bad arguments). */
export async function runSandboxCli(argv: string[], io: SandboxCliIo = {}): Promise<number> {
  const out = io.stdout ?? ((text) => process.stdout.write(`${text}\n`));
  const err = io.stderr ?? ((text) => process.stderr.write(`${text}\n`));
  if (argv.includes("--help") || argv.includes("-h")) {
    out(SANDBOX_USAGE);
    return 0;
  }
  let options: SandboxCliOptions;
  let estate: Estate;
  try {
    options = parseSandboxArgs(argv);
    estate = options.demo
      ? demoEstate()
      : generateEstate({
          accounts: options.accounts,
          regions: options.regions,
          keysPerRegion: options.keysPerRegion,
          seed: options.seed,
          ...(options.ous === undefined ? {} : { organization: { ous: options.ous } }),
        });
  } catch (error) {
    if (!(error instanceof SandboxUsageError || error instanceof RangeError)) throw error;
    err(`sandbox: ${error.message} (try --help)`);
    return 2;
  }
  let sandbox: RunningSandbox;
  try {
    sandbox = await startSandbox({ estate, port: options.port, host: options.host, faults: options.faults });
  } catch (error) {
    err(`sandbox: cannot listen on ${options.host}:${options.port}: ${(error as Error).message}`);
    return 1;
  }
  out(describeSandbox(sandbox, options));
  await new Promise<void>((resolve) => {
    if (io.signal) {
      if (io.signal.aborted) return resolve();
      io.signal.addEventListener("abort", () => resolve(), { once: true });
      return;
    }
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });
  await sandbox.stop();
  return 0;
}
