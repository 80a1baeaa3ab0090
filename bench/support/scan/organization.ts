import { fork } from "node:child_process";
import { createPrisma } from "@/lib/db/client";
import { sandboxCredentialsFor } from "@/lib/kms-sandbox/credentials";
import { addOrganization } from "@/lib/organizations/service";
import { syncOrganization } from "@/lib/organizations/sync";
import { getSettings } from "@/lib/settings";
import { benchDatabase } from "./database";
import type { OrgSandboxConfig, OrgSandboxReady } from "./org-sandbox-child";
import { postmasterOf, treeCpuSeconds } from "./proc";
import { printStatements, resetStatements } from "./statements";
import { readKmsKeyReads, readsBetween } from "./table-reads";
import { int, line, load, seconds, target } from "./report";
import { startBenchWorkers } from "./workers";

// `npm run bench:scan -- --organization`: an AWS organization of 1,000 accounts in 50 OUs, served by
// the sandbox (its own process) at a realistic latency. Times its first sync (ListAccounts pages,
// ListParents per account with the OUs cached, AssumeRole and ListRegions per account, the
// database writes) and the first scan of every account it added, with the peak memory of each.

const ORG_ACCOUNTS = 1000;
const ORG_OUS = 50;
/** Two regions (allow-list): every account's enabled regions would be 17 of them, 34,000 targets. */
const ORG_REGIONS = ["us-east-1", "eu-west-1"];
const ORG_KEYS = 5;
/** Calls per account in a sync: ListParents, AssumeRole (member role), ListRegions. */
const SYNC_CALLS_PER_ACCOUNT = 3;
/** Accounts a sync works on at once (lib/organizations/sync.ts). */
const SYNC_CONCURRENCY = 16;
/**
 * An account-region's calls that wait on each other: ListKeys with ListAliases, DescribeKey, then
 * GetKeyRotationStatus with ListResourceTags; plus the account's AssumeRole, shared by its 2 regions.
 */
const TARGET_ROUNDS = 3.5;
/** Scan jobs one worker runs at once: total / per-region concurrency x 1.5 (lib/collector/queue.ts). */
const jobSlots = (total: number, perRegion: number) => Math.ceil((total / perRegion) * 1.5);
const TARGET_SYNC_RATIO = 2.5;
const TARGET_SCAN_RATIO = 3;
const TARGET_SYNC_GROWTH_MB = 150;
const TARGET_WORKER_RSS_MB = 350;

async function startOrgSandbox(config: OrgSandboxConfig) {
  const child = fork(new URL("./org-sandbox-child.ts", import.meta.url).pathname, [JSON.stringify(config)], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const ready = await new Promise<OrgSandboxReady>((resolve, reject) => {
    child.once("message", (m: OrgSandboxReady | { type: "error"; message: string }) =>
      m.type === "ready" ? resolve(m) : reject(new Error(m.message)),
    );
    child.once("exit", (code) => reject(new Error(`the sandbox process exited (${code})`)));
  });
  return {
    ...ready,
    pid: child.pid!,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.send({ type: "stop" });
      }),
  };
}

export async function organizationScenario(opts: {
  latencyMs: number;
  seed: string;
  /** Also print PostgreSQL's time by statement during the scan (pg_stat_statements). */
  statements: boolean;
}): Promise<void> {
  const config: OrgSandboxConfig = {
    accounts: ORG_ACCOUNTS,
    ous: ORG_OUS,
    regions: ORG_REGIONS,
    keysPerRegion: ORG_KEYS,
    latencyMs: opts.latencyMs,
    seed: opts.seed,
  };
  const [db, sandbox] = await Promise.all([
    benchDatabase({ statements: opts.statements }),
    startOrgSandbox(config),
  ]);
  const prisma = createPrisma(db.url, 10);
  let workers;
  try {
    const creds = sandboxCredentialsFor(sandbox.managementId);
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_KMS: sandbox.url,
      AWS_ENDPOINT_URL_STS: sandbox.url,
      AWS_ENDPOINT_URL_ORGANIZATIONS: sandbox.url,
      AWS_ENDPOINT_URL_ACCOUNT: sandbox.url,
      AWS_ACCESS_KEY_ID: creds.accessKeyId,
      AWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
      AWS_REGION: ORG_REGIONS[0],
    });
    console.log(
      `organization: ${int(ORG_ACCOUNTS)} accounts in ${ORG_OUS} OUs, regions ${ORG_REGIONS.join(", ")} ` +
        `(allow-list), ${ORG_KEYS} keys a region (${int(sandbox.keys)} keys), ${opts.latencyMs} ms a call`,
    );
    const org = await addOrganization(prisma, {
      name: "Bench",
      memberRoleName: sandbox.memberRoleName,
      memberExternalId: sandbox.memberExternalId,
      regionAllow: ORG_REGIONS,
    });
    const rssBefore = process.memoryUsage().rss / 2 ** 20;
    const started = performance.now();
    const result = await syncOrganization(prisma, org.id, { actor: { actorEmail: "bench" } });
    const syncMs = performance.now() - started;
    if (!result.ok) throw new Error(`the sync failed: ${result.error}`);
    const s = result.summary!;
    const syncRss = process.resourceUsage().maxRSS / 1024;
    const growth = syncRss - rssBefore;
    console.log(`\nfirst sync:`);
    line(
      "accounts",
      `${int(s.listed)} listed, ${int(s.added)} added, ${s.suspended} not active, ${s.regionErrors} without regions`,
    );
    line("OUs described", `${s.ousDescribed} (one per OU)`);
    line("wall time", seconds(syncMs));
    line("RSS of the syncing process", `${rssBefore.toFixed(0)} MB before, peak ${syncRss.toFixed(0)} MB`);
    // ListAccounts pages one after another, then each account's calls, 16 at a time.
    const syncBoundMs =
      Math.ceil(ORG_ACCOUNTS / 20) * opts.latencyMs +
      (ORG_ACCOUNTS * SYNC_CALLS_PER_ACCOUNT * opts.latencyMs) / SYNC_CONCURRENCY;
    line(
      "lower bound",
      `${seconds(syncBoundMs)} (${ORG_ACCOUNTS / 20} pages in turn, ${SYNC_CALLS_PER_ACCOUNT} calls an account, ${SYNC_CONCURRENCY} at once)`,
    );

    workers = await startBenchWorkers(prisma, db.url, 1);
    const concurrency = workers.allowedConcurrency;
    const cores = workers.cores;
    // The worker's and PostgreSQL's CPU during the scan: less at the mercy of the machine's load
    // than its wall time, so two runs (or two commits) compare by it when other work shares the cores.
    const pgPid = db.dataDir ? postmasterOf(db.dataDir) : null;
    const cpuBefore = {
      worker: await workers.cpuSeconds(),
      pg: pgPid ? treeCpuSeconds(pgPid) : 0,
      sandbox: treeCpuSeconds(sandbox.pid),
    };
    const readsBefore = await readKmsKeyReads(prisma);
    if (opts.statements) await resetStatements(prisma);
    const run = await workers.scan();
    const cpu = {
      worker: (await workers.cpuSeconds()) - cpuBefore.worker,
      pg: (pgPid ? treeCpuSeconds(pgPid) : 0) - cpuBefore.pg,
      sandbox: treeCpuSeconds(sandbox.pid) - cpuBefore.sandbox,
    };
    const workerRss = await workers.peakRssMb();
    const described = workers.describe;
    // The worker's sessions report their table statistics as they end (a moment after it stops).
    await workers.stop();
    workers = undefined;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const reads = readsBetween(readsBefore, await readKmsKeyReads(prisma));
    const targets = await prisma.scanTarget.count();
    const settings = await getSettings(prisma);
    const slots = jobSlots(concurrency, settings["scan.concurrencyPerRegion"]);
    // The larger of: every call at the allowed concurrency (KMS calls and one AssumeRole an account),
    // and each account-region's calls that wait on each other, as many account-regions at once as
    // the worker runs jobs.
    const callsBoundMs = ((sandbox.kmsCalls + ORG_ACCOUNTS) * opts.latencyMs) / concurrency;
    const pathBoundMs = (targets * TARGET_ROUNDS * opts.latencyMs) / slots;
    const scanBoundMs = Math.max(callsBoundMs, pathBoundMs);
    console.log(`\nfirst scan of the organization (${described}):`);
    line("account-regions", `${int(targets)}, ${run.status}, ${int(run.keys)} keys stored`);
    line("wall time", seconds(run.ms));
    line(
      "lower bound",
      `${seconds(scanBoundMs)} (the larger of ${int(sandbox.kmsCalls + ORG_ACCOUNTS)} calls / ${concurrency} at once = ` +
        `${seconds(callsBoundMs)}, and ${int(targets)} account-regions x ${TARGET_ROUNDS} calls in turn / ${slots} jobs at once = ${seconds(pathBoundMs)})`,
    );
    line(
      "CPU used",
      `worker ${cpu.worker.toFixed(1)} s, PostgreSQL ${cpu.pg.toFixed(1)} s, the sandbox (AWS's part) ${cpu.sandbox.toFixed(1)} s`,
    );
    // What the cores allow, whatever the latency: every process's CPU spread over all the cores.
    // On a machine that also runs AWS's part (the sandbox), this floor can sit near the target.
    const cpuFloorMs = ((cpu.worker + cpu.pg + cpu.sandbox) * 1000) / cores;
    const ownFloorMs = ((cpu.worker + cpu.pg) * 1000) / cores;
    line(
      "CPU floor",
      `${seconds(cpuFloorMs)} (${(cpuFloorMs / scanBoundMs).toFixed(2)}x the bound): the three processes' CPU over ` +
        `${cores} cores; ${seconds(ownFloorMs)} (${(ownFloorMs / scanBoundMs).toFixed(2)}x) without the sandbox's`,
    );
    line(
      "CPU per account-region",
      `worker ${((cpu.worker * 1000) / targets).toFixed(1)} ms, PostgreSQL ${((cpu.pg * 1000) / targets).toFixed(1)} ms`,
    );
    line(
      "reads of kms_keys",
      `${int(reads.seqScans)} sequential scans (${int(reads.seqRows)} rows), ${int(reads.indexScans)} index scans`,
    );
    console.log("");
    target(
      "sync / lower bound",
      `${(syncMs / syncBoundMs).toFixed(2)}x`,
      `<= ${TARGET_SYNC_RATIO}x`,
      syncMs / syncBoundMs <= TARGET_SYNC_RATIO,
    );
    target(
      "RSS growth during the sync",
      `${growth.toFixed(0)} MB`,
      `< ${TARGET_SYNC_GROWTH_MB} MB`,
      growth < TARGET_SYNC_GROWTH_MB,
    );
    target(
      "first scan / lower bound",
      `${(run.ms / scanBoundMs).toFixed(2)}x`,
      `<= ${TARGET_SCAN_RATIO}x`,
      run.ms / scanBoundMs <= TARGET_SCAN_RATIO,
    );
    target(
      "peak RSS of the worker",
      `${workerRss.toFixed(0)} MB`,
      `< ${TARGET_WORKER_RSS_MB} MB`,
      workerRss < TARGET_WORKER_RSS_MB,
    );
    if (opts.statements) await printStatements(prisma);
    console.log(
      `  (scan concurrency ${settings["scan.concurrencyPerRegion"]} per account-region, ${concurrency} in all; load ${load()})`,
    );
  } finally {
    await workers?.stop();
    await prisma.$disconnect();
    await sandbox.stop();
    await db.close();
  }
}
