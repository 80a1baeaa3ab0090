// npm run bench:scan — a full scan of a sandbox estate (50 accounts x 4 regions x 50 keys, 25 ms a
// call) through the real path (queue, worker, SDK, database writes), against the lower bound the
// KMS quotas and the allowed concurrency set, and against the sequential per-key pattern; then the
// write's cost with 1,000 exception rules in force.
import "./support/scan/env";
import { addAccount } from "@/lib/accounts/service";
import { createPrisma } from "@/lib/db/client";
import { sandboxCredentialsFor } from "@/lib/kms-sandbox/credentials";
import { getSettings } from "@/lib/settings";
import { parseBenchArgs, USAGE } from "./support/scan/args";
import { benchDatabase } from "./support/scan/database";
import { scanWithRules } from "./support/scan/exception-scan";
import { measureScan, printScan, type ScanFigures } from "./support/scan/measure";
import { int, line, load, machine, seconds, target } from "./support/scan/report";
import { startChild, startInProcess, type SandboxHost } from "./support/scan/sandbox-host";
import { organizationScenario } from "./support/scan/organization";
import { sequentialScan } from "./support/scan/sequential";
import { startBenchWorkers, type BenchWorkers } from "./support/scan/workers";

const TARGET_BOUND_RATIO = 1.3;
const TARGET_SPEEDUP = 10;
const TARGET_RSS_MB = 300;

let args;
try {
  args = parseBenchArgs(process.argv.slice(2));
} catch (err) {
  console.error(`${(err as Error).message}\n${USAGE}`);
  process.exit(2);
}

console.log(`bench:scan on ${machine()}; load average ${load()}`);
if (args.organization) {
  await organizationScenario({ latencyMs: args.latencyMs, seed: args.seed });
  process.exit(0);
}
const shape = {
  accounts: args.accounts,
  regions: args.regions,
  keysPerRegion: args.keysPerRegion,
  seed: args.seed,
};
const config = { shape, latencyMs: args.latencyMs };
const [db, sandbox] = await Promise.all([
  benchDatabase(),
  (args.sandbox === "child" ? startChild : startInProcess)(config) as Promise<SandboxHost>,
]);
let workers: BenchWorkers | undefined;
const prisma = createPrisma(db.url, 10);
try {
  // The console's own identity is the first account's user (the SDK's default chain reads it
  // from the environment); every other account is reached by AssumeRole with its ExternalId.
  const [home, ...members] = sandbox.accounts;
  const creds = sandboxCredentialsFor(home!.id);
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_KMS: sandbox.url,
    AWS_ENDPOINT_URL_STS: sandbox.url,
    AWS_ACCESS_KEY_ID: creds.accessKeyId,
    AWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
    AWS_REGION: args.regions[0],
  });
  await addAccount(prisma, { id: home!.id, name: home!.name, regions: args.regions });
  for (const a of members) {
    await addAccount(prisma, { ...a, regions: args.regions, accessMethod: "ROLE" });
  }
  workers = await startBenchWorkers(prisma, db.url, args.workerProcesses);
  const settings = await getSettings(prisma);
  const concurrency = workers.allowedConcurrency;
  const needed = sandbox.needed;
  const boundMs = (needed.total * args.latencyMs) / concurrency;

  console.log(
    `estate: ${args.accounts} accounts x ${args.regions.length} regions, ${int(sandbox.keys)} keys, ` +
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
    const kind = i === 1 ? "first: cold process, keys inserted" : "warm, keys updated";
    console.log(
      `\nscan ${i} of ${args.scans} (${kind}): ${last.run.status}, ${int(last.run.keys)} keys stored`,
    );
    printScan(last, needed, printOpts);
  }
  const lastWallMs = last!.run.ms;

  const rssMb = await workers.peakRssMb();
  console.log(
    `\nlower bound = ${int(needed.total)} calls x ${args.latencyMs} ms / ${concurrency} concurrent = ${seconds(boundMs)}`,
  );
  const ratio = lastWallMs / boundMs;
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
  await workers.stop();
  workers = undefined;

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
  await workers?.stop();
  await prisma.$disconnect();
  await sandbox.stop();
  await db.close();
}
