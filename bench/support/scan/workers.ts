import os from "node:os";
import pg from "pg";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { spawn, type ChildProcess } from "node:child_process";
import { startBoss, startScan, startWorker } from "@/lib/collector/queue";
import { getSettings, setSetting } from "@/lib/settings";
import { peakRssMb, rssMb, runQueueWaitSeconds, treeCpuSeconds } from "./proc";

// The scan workers of a benchmark run, and one timed full scan through the queue.

export interface ScanRun {
  ms: number;
  status: string;
  keys: number;
  calls: number;
  /** How long one account-region took, from its claim to its last write. */
  targetMs: { min: number; median: number; p90: number; max: number };
}

export interface BenchWorkers {
  describe: string;
  /** Calls in flight allowed to all the workers together. */
  allowedConcurrency: number;
  /** True when the collector runs in processes other than this one. */
  separate: boolean;
  cores: number;
  scan(): Promise<ScanRun>;
  cpuSeconds(): Promise<number>;
  /** Seconds the collector's threads were runnable but had no CPU. */
  runQueueWaitSeconds(): Promise<number>;
  peakRssMb(): Promise<number>;
  rssMb(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Queues one full scan and waits for its end, polling on a connection of its own (plain pg, not
 * Prisma: the polling should cost the collector's process as little as possible).
 */
async function timedScan(
  prisma: PrismaClient,
  databaseUrl: string,
  send: Parameters<typeof startScan>[1],
): Promise<ScanRun> {
  const poll = new pg.Client({ connectionString: databaseUrl });
  await poll.connect();
  try {
    const started = performance.now();
    const { scanId } = await startScan(prisma, send, { trigger: "CLI" });
    for (;;) {
      const { rows } = await poll.query<{ status: string }>(
        "SELECT status FROM scans WHERE id = $1 AND finished_at IS NOT NULL",
        [scanId],
      );
      if (rows[0]) {
        const ms = performance.now() - started;
        return { ms, status: rows[0].status, ...(await targetFigures(poll, scanId)) };
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    await poll.end();
  }
}

async function targetFigures(poll: pg.Client, scanId: string) {
  const { rows } = await poll.query<{ keys: number; calls: number; durations: number[] }>(
    `SELECT sum(keys_seen)::int AS keys, sum(calls_made)::int AS calls,
            array_agg(coalesce(duration_ms, 0) ORDER BY duration_ms) AS durations
     FROM scan_targets WHERE scan_id = $1`,
    [scanId],
  );
  const { keys, calls, durations } = rows[0]!;
  const at = (q: number) => durations[Math.min(durations.length - 1, Math.floor(q * durations.length))] ?? 0;
  return { keys, calls, targetMs: { min: at(0), median: at(0.5), p90: at(0.9), max: at(1) } };
}

/** `cwd`: the tree whose `scripts/worker.ts` the worker processes run (another collector's, ./baseline.ts). */
export async function startBenchWorkers(
  prisma: PrismaClient,
  databaseUrl: string,
  processes: number,
  cwd?: string,
): Promise<BenchWorkers> {
  if (processes > 0) return startWorkerProcesses(prisma, databaseUrl, processes, cwd);
  if (cwd) throw new Error("another tree's collector runs in worker processes only");
  const worker = await startWorker(prisma, databaseUrl, { schedule: false });
  return {
    describe: "worker in this process",
    allowedConcurrency: (await getSettings(prisma))["scan.concurrencyTotal"],
    separate: false,
    cores: os.availableParallelism(),
    scan: () => timedScan(prisma, databaseUrl, worker.boss),
    cpuSeconds: async () => {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1e6;
    },
    runQueueWaitSeconds: async () => runQueueWaitSeconds(process.pid),
    peakRssMb: async () => process.resourceUsage().maxRSS / 1024,
    rssMb: async () => process.memoryUsage().rss / 2 ** 20,
    stop: () => worker.stop(),
  };
}

/**
 * `npm run worker` processes (scripts/worker.ts), as many as asked, against the benchmark's
 * database; this process only queues the scan. Each worker's total concurrency is the setting
 * divided among them, so that all of them together are allowed what one worker would be.
 */
async function startWorkerProcesses(
  prisma: PrismaClient,
  databaseUrl: string,
  count: number,
  cwd: string | undefined,
): Promise<BenchWorkers> {
  const total = (await getSettings(prisma))["scan.concurrencyTotal"];
  const each = Math.max(1, Math.floor(total / count));
  await setSetting(prisma, "scan.concurrencyTotal", each);
  await setSetting(prisma, "scan.intervalHours", 0); // no scheduled scan of their own
  const children = await Promise.all(Array.from({ length: count }, () => spawnWorker(databaseUrl, cwd)));
  const boss = await startBoss(databaseUrl, { supervise: false });
  const sum = (f: (pid: number) => number) => children.reduce((n, c) => n + f(c.pid!), 0);
  return {
    describe: `${count} worker processes (npm run worker), ${each} calls in flight each`,
    allowedConcurrency: each * count,
    separate: true,
    cores: os.availableParallelism(),
    scan: () => timedScan(prisma, databaseUrl, boss),
    cpuSeconds: async () => sum(treeCpuSeconds),
    runQueueWaitSeconds: async () => sum(runQueueWaitSeconds),
    // Peak of the processes together (each one's own peak, summed: an upper bound).
    peakRssMb: async () => sum(peakRssMb),
    rssMb: async () => sum(rssMb),
    async stop() {
      await boss.stop({ graceful: false, wait: true });
      await Promise.all(
        children.map(
          (c) =>
            new Promise<void>((resolve) => {
              if (c.exitCode !== null) return resolve();
              c.once("exit", () => resolve());
              c.kill("SIGTERM");
            }),
        ),
      );
    },
  };
}

async function spawnWorker(databaseUrl: string, cwd: string | undefined): Promise<ChildProcess> {
  const prof = process.env.BENCH_WORKER_PROF; // a directory: CPU profiles of the workers
  const flags = [
    ...(prof ? ["--cpu-prof", `--cpu-prof-dir=${prof}`] : []),
    ...(process.env.BENCH_WORKER_FLAGS?.split(" ").filter(Boolean) ?? []),
  ];
  const child = spawn(process.execPath, [...flags, "--import", "tsx", "scripts/worker.ts"], {
    cwd,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`a worker process exited (${code}) before it started`)));
    child.stdout!.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("worker running")) resolve();
    });
  });
  return child;
}
