import { parseArgs } from "node:util";
import { BASELINE_REF } from "./baseline";

export const USAGE = `usage: npm run bench:scan -- [options]
  --accounts 50 --regions us-east-1,eu-west-1,us-west-2,ap-southeast-2 --keys 50 --latency 25 --seed bench-scan
  --sandbox child|in-process     where the KMS sandbox runs (default child: its own process)
  --worker-processes N[,N...]    scan workers: N \`npm run worker\` processes (default 1), 0 = in this process;
                                 a list (1,2,4) then times one cold scan with each N, on a fresh database
  --baseline REF|none            also time today's collector (the git commit REF, default the one before
                                 issue 17's work) on a fresh database, and compare CPU per KMS call
  --scans 1                      full scans to time, one after another (the first is cold)
  --sequential-sample N          time the sequential pattern on the first accounts holding >= N keys
                                 and extrapolate (default: the whole estate); 0 skips it
  --exception-rules N            then a warm scan without and one with N exception rules in force,
                                 to compare the write's cost (default 1000); 0 skips it
  --organization                 instead: sync an AWS organization of 1,000 accounts in 50 OUs, then scan
                                 every account (--latency, --seed apply)
  --pg-statements                with --organization: also print PostgreSQL's time by statement during
                                 the scan (pg_stat_statements, loaded into the embedded server)
BENCH_DATABASE_URL: a PostgreSQL server to use (a database is created and dropped) instead of an
embedded one in a temporary directory.`;

export interface BenchArgs {
  accounts: number;
  regions: string[];
  keysPerRegion: number;
  latencyMs: number;
  seed: string;
  sandbox: "child" | "in-process";
  workerProcesses: number[];
  baseline: string | null;
  scans: number;
  sequentialSample: number | null;
  exceptionRules: number;
  organization: boolean;
  pgStatements: boolean;
}

function int(name: string, text: string | undefined, fallback: number | null, min: number): number | null {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text) || Number(text) < min) throw new Error(`--${name} must be an integer >= ${min}`);
  return Number(text);
}

export function parseBenchArgs(argv: string[]): BenchArgs {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      accounts: { type: "string" },
      regions: { type: "string" },
      keys: { type: "string" },
      latency: { type: "string" },
      seed: { type: "string" },
      sandbox: { type: "string" },
      "worker-processes": { type: "string" },
      baseline: { type: "string" },
      scans: { type: "string" },
      "sequential-sample": { type: "string" },
      "exception-rules": { type: "string" },
      organization: { type: "boolean" },
      "pg-statements": { type: "boolean" },
      help: { type: "boolean" },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const sandbox = values.sandbox ?? "child";
  if (sandbox !== "child" && sandbox !== "in-process") throw new Error("--sandbox is child or in-process");
  if (values.baseline?.startsWith("-")) throw new Error("--baseline is a git commit or none");
  if (values["pg-statements"] && !values.organization)
    throw new Error("--pg-statements goes with --organization");
  return {
    accounts: int("accounts", values.accounts, 50, 1)!,
    regions: (values.regions ?? "us-east-1,eu-west-1,us-west-2,ap-southeast-2").split(","),
    keysPerRegion: int("keys", values.keys, 50, 0)!,
    latencyMs: int("latency", values.latency, 25, 0)!,
    seed: values.seed ?? "bench-scan",
    sandbox,
    workerProcesses: (values["worker-processes"] ?? "1")
      .split(",")
      .map((n) => int("worker-processes", n, 1, 0)!),
    baseline: values.baseline === "none" ? null : (values.baseline ?? BASELINE_REF),
    scans: int("scans", values.scans, 1, 1)!,
    sequentialSample: int("sequential-sample", values["sequential-sample"], null, 0),
    exceptionRules: int("exception-rules", values["exception-rules"], 1000, 0)!,
    organization: values.organization ?? false,
    pgStatements: values["pg-statements"] ?? false,
  };
}
