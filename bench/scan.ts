// npm run bench:scan — a full scan of a sandbox estate (50 accounts x 4 regions x 50 keys, 25 ms a
// call) through the real path (queue, worker, SDK, database writes), against the lower bound the
// KMS quotas and the allowed concurrency set, against today's collector (the commit before issue
// 17's work, CPU per KMS call) and against the sequential per-key pattern; then the write's cost with
// 1,000 exception rules in force, and with --worker-processes 1,2,4 how wall time falls with N.
import "./support/scan/env";
import { addAccount } from "@/lib/accounts/service";
import { createPrisma } from "@/lib/db/client";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { sandboxCredentialsFor } from "@/lib/kms-sandbox/credentials";
import { getSettings } from "@/lib/settings";
import { parseBenchArgs, USAGE, type BenchArgs } from "./support/scan/args";
import { extractBaseline } from "./support/scan/baseline";
import { benchDatabase, type BenchDatabase } from "./support/scan/database";
import { scanWithRules } from "./support/scan/exception-scan";
import { measureScan, printScan, type ScanFigures } from "./support/scan/measure";
import { int, line, load, machine, seconds, target } from "./support/scan/report";
import { startChild, startInProcess } from "./support/scan/sandbox-host";
import { organizationScenario } from "./support/scan/organization";
import { sequentialScan } from "./support/scan/sequential";
import { startBenchWorkers, type BenchWorkers } from "./support/scan/workers";

const TARGET_BOUND_RATIO = 1.5;
const TARGET_SPEEDUP = 10;
const TARGET_RSS_MB = 300;
/** Collector CPU per KMS call against today's collector's, measured in the same run (issue 17). */
const TARGET_CPU_RATIO = 0.5;

let args: BenchArgs;
try {
  args = parseBenchArgs(process.argv.slice(2));
} catch (err) {
  console.error(`${(err as Error).message}\n${USAGE}`);
  process.exit(2);
}

console.log(`bench:scan on ${machine()}; load average ${load()}`);
if (args.organization) {
  await organizationScenario({ latencyMs: args.latencyMs, seed: args.seed, statements: args.pgStatements });
  process.exit(0);
}
const shape = {
  accounts: args.accounts,
  regions: args.regions,
  keysPerRegion: args.keysPerRegion,
  seed: args.seed,
};
const config = { shape, latencyMs: args.latencyMs };
const sandbox = await (args.sandbox === "child" ? startChild : startInProcess)(config);

// The console's own identity is the first account's user (the SDK's default chain reads it from
// the environment); every other account is reached by AssumeRole with its ExternalId.
const [home, ...members] = sandbox.accounts;
const creds = sandboxCredentialsFor(home!.id);
Object.assign(process.env, {
  AWS_ENDPOINT_URL_KMS: sandbox.url,
  AWS_ENDPOINT_URL_STS: sandbox.url,
  AWS_ACCESS_KEY_ID: creds.accessKeyId,
  AWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
  AWS_REGION: args.regions[0],
});

/** A fresh, migrated database holding the estate's accounts, and workers on it. */
async function collectorOn(processes: number, cwd?: string) {
  const db = await benchDatabase();
  const prisma = createPrisma(db.url, 10);
  try {
    await addAccount(prisma, { id: home!.id, name: home!.name, regions: args.regions });
    for (const a of members) await addAccount(prisma, { ...a, regions: args.regions, accessMethod: "ROLE" });
    const workers = await startBenchWorkers(prisma, db.url, processes, cwd);
    return { db, prisma, workers };
  } catch (err) {
    await prisma.$disconnect();
    await db.close();
    throw err;
  }
}

async function release(c: { db: BenchDatabase; prisma: PrismaClient; workers?: BenchWorkers }) {
  await c.workers?.stop();
  await c.prisma.$disconnect();
  await c.db.close();
}

const boundMs = (concurrency: number) => (sandbox.needed.total * args.latencyMs) / concurrency;
const cpuPerCall = (f: ScanFigures) => (f.cpu.collector * 1000) / Math.max(1, f.kmsCalls);

/** One cold scan by today's collector (./support/scan/baseline.ts), on a database of its own. */
async function timeBaseline(dir: string, ref: string, when: string): Promise<ScanFigures> {
  const c = await collectorOn(args.workerProcesses[0] || 1, dir);
  try {
    console.log(`\ntoday's collector (commit ${ref.slice(0, 12)}), ${when}; ${c.workers.describe}:`);
    const f = await measureScan(c.workers, sandbox, c.db.dataDir);
    console.log(`  cold scan: ${f.run.status}, ${int(f.run.keys)} keys stored`);
    printScan(f, sandbox.needed, { cores: c.workers.cores, sharedProcess: false });
    return f;
  } finally {
    await release(c);
  }
}

const tree = args.baseline ? await extractBaseline(args.baseline) : null;
try {
  // Today's collector before and after this one (the machine's load drifts): the same estate,
  // sandbox and settings, each cold on a fresh database; compared with the mean of the two.
  const baselines: ScanFigures[] = [];
  if (tree) baselines.push(await timeBaseline(tree.dir, tree.ref, "before this one"));

  const main = await collectorOn(args.workerProcesses[0]!);
  let lastWallMs: number;
  let first: ScanFigures | undefined;
  try {
    const { workers, prisma, db } = main;
    const settings = await getSettings(prisma);
    const concurrency = workers.allowedConcurrency;
    console.log(
      `\nestate: ${args.accounts} accounts x ${args.regions.length} regions, ${int(sandbox.keys)} keys, ` +
        `${args.latencyMs} ms a call; sandbox ${sandbox.mode}; ${workers.describe}; ` +
        `concurrency ${settings["scan.concurrencyPerRegion"]} per account-region, ${concurrency} in all`,
    );
    console.log(`collector RSS before the scan: ${(await workers.rssMb()).toFixed(0)} MB`);
    const printOpts = {
      cores: workers.cores,
      sharedProcess: sandbox.mode === "in-process" && !workers.separate,
    };
    let last: ScanFigures | undefined;
    for (let i = 1; i <= args.scans; i++) {
      last = await measureScan(workers, sandbox, db.dataDir);
      first ??= last;
      const kind = i === 1 ? "first: cold process, keys inserted" : "warm, keys updated";
      console.log(
        `\nscan ${i} of ${args.scans} (${kind}): ${last.run.status}, ${int(last.run.keys)} keys stored`,
      );
      printScan(last, sandbox.needed, printOpts);
    }
    lastWallMs = last!.run.ms;

    const rssMb = await workers.peakRssMb();
    console.log(
      `\nlower bound = ${int(sandbox.needed.total)} calls x ${args.latencyMs} ms / ${concurrency} concurrent = ${seconds(boundMs(concurrency))}`,
    );
    const ratio = lastWallMs / boundMs(concurrency);
    target(
      "wall / lower bound",
      `${ratio.toFixed(2)}x`,
      `<= ${TARGET_BOUND_RATIO}x`,
      ratio <= TARGET_BOUND_RATIO,
    );
    target(
      "peak RSS of the collector",
      `${rssMb.toFixed(0)} MB`,
      `< ${TARGET_RSS_MB} MB`,
      rssMb < TARGET_RSS_MB,
    );
    if (args.exceptionRules > 0)
      await scanWithRules(workers, sandbox, db, prisma, args.exceptionRules, printOpts);
  } finally {
    await release(main);
  }
  if (tree) {
    baselines.push(await timeBaseline(tree.dir, tree.ref, "after this one"));
    const today = baselines.map(cpuPerCall);
    const before = (today[0]! + today[1]!) / 2;
    const after = cpuPerCall(first!);
    console.log(`\ntoday's collector beside this one (cold scans of the same estate, this run):`);
    line(
      "collector CPU per KMS call",
      `today's ${today.map((n) => n.toFixed(3)).join(" and ")} ms (mean ${before.toFixed(3)}), this one ${after.toFixed(3)} ms`,
    );
    line(
      "wall time of the cold scan",
      `today's ${baselines.map((f) => seconds(f.run.ms)).join(" and ")}, this one ${seconds(first!.run.ms)}`,
    );
    // The sandbox's code is the same in both runs: its CPU per call shows how much the load alone
    // moved the figures (each collector's CPU per sandbox CPU second, today's against this one's).
    const perSandbox = (f: ScanFigures) => f.cpu.collector / Math.max(0.001, f.cpu.sandbox);
    const todayPerSandbox = (perSandbox(baselines[0]!) + perSandbox(baselines[1]!)) / 2;
    line(
      "collector CPU / sandbox CPU",
      `today's ${todayPerSandbox.toFixed(2)}, this one ${perSandbox(first!).toFixed(2)} (${(perSandbox(first!) / todayPerSandbox).toFixed(2)}x; the load's share left out)`,
    );
    target(
      "CPU per call / today's",
      `${(after / before).toFixed(2)}x`,
      `<= ${TARGET_CPU_RATIO}x`,
      after / before <= TARGET_CPU_RATIO,
    );
  }

  // Scale-out: one cold scan with each further number of worker processes, all allowed the same
  // calls in flight in total (the setting divided among them), each on a fresh database.
  if (args.workerProcesses.length > 1) {
    const rows: { n: number; ms: number; cpu: number; bound: number }[] = [];
    rows.push({
      n: args.workerProcesses[0]!,
      ms: first!.run.ms,
      cpu: cpuPerCall(first!),
      bound: boundMs(main.workers.allowedConcurrency),
    });
    for (const n of args.workerProcesses.slice(1)) {
      const c = await collectorOn(n);
      try {
        const f = await measureScan(c.workers, sandbox, c.db.dataDir);
        console.log(`\n${c.workers.describe}: cold scan ${f.run.status}, ${int(f.run.keys)} keys stored`);
        printScan(f, sandbox.needed, { cores: c.workers.cores, sharedProcess: false });
        rows.push({ n, ms: f.run.ms, cpu: cpuPerCall(f), bound: boundMs(c.workers.allowedConcurrency) });
      } finally {
        await release(c);
      }
    }
    console.log(`\nscale-out (cold scans, sandbox ${sandbox.mode}, load average ${load()}):`);
    console.log(
      `  ${"worker processes".padEnd(18)} ${"wall".padStart(9)} ${"x bound".padStart(8)} ${"CPU/call".padStart(9)}`,
    );
    for (const r of rows)
      console.log(
        `  ${String(r.n).padEnd(18)} ${seconds(r.ms).padStart(9)} ${(r.ms / r.bound).toFixed(2).padStart(7)}x ${r.cpu.toFixed(3).padStart(6)} ms`,
      );
  }

  if (args.sequentialSample !== 0) {
    // The first accounts holding at least the sample's keys (all of them without a sample).
    let take = sandbox.accounts.length;
    if (args.sequentialSample !== null) {
      let keys = 0;
      take = sandbox.keysByAccount.findIndex((n) => (keys += n) >= args.sequentialSample!) + 1 || take;
    }
    await sandbox.resetStats();
    const seq = await sequentialScan(sandbox.url, sandbox.accounts.slice(0, take), args.regions);
    const extrapolated = take < sandbox.accounts.length;
    const seqMs = extrapolated ? (seq.ms * sandbox.keys) / seq.keys : seq.ms;
    console.log(
      `\nsequential per-key pattern (one call at a time per region, an account's regions side by side, accounts in turn):`,
    );
    line(
      extrapolated ? `timed ${take} of ${sandbox.accounts.length} accounts` : "timed",
      `${int(seq.keys)} keys, ${int(seq.calls)} calls in ${seconds(seq.ms)}`,
    );
    line(extrapolated ? "wall time (EXTRAPOLATED by keys)" : "wall time", seconds(seqMs));
    const speedup = seqMs / lastWallMs;
    target(
      "speed-up over sequential",
      `${speedup.toFixed(1)}x`,
      `>= ${TARGET_SPEEDUP}x`,
      speedup >= TARGET_SPEEDUP,
    );
  }
  console.log(`\nload average at the end ${load()}`);
} finally {
  await sandbox.stop();
  await tree?.remove();
}
