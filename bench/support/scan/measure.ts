import type { SandboxStats } from "@/lib/kms-sandbox";
import type { NeededCalls } from "./estate";
import { postmasterOf, runQueueWaitSeconds, treeCpuSeconds, treeRunQueueWaitSeconds } from "./proc";
import { int, line, seconds, table } from "./report";
import type { SandboxHost } from "./sandbox-host";
import type { BenchWorkers, ScanRun } from "./workers";

// One timed full scan, and where its CPU went: the collector, the sandbox (which here shares the
// machine's CPUs with it, unlike AWS KMS) and PostgreSQL; and how long each was runnable but had
// to wait for a CPU (the machine's run queue: other processes, or each other).

type Parts = Record<"collector" | "sandbox" | "pg", number>;

export interface ScanFigures {
  run: ScanRun;
  stats: SandboxStats;
  kmsCalls: number;
  cpu: Parts;
  wait: Parts;
}

export async function measureScan(
  workers: BenchWorkers,
  sandbox: SandboxHost,
  dataDir: string | null,
): Promise<ScanFigures> {
  const pgPid = dataDir ? postmasterOf(dataDir) : null;
  const sandboxPid = sandbox.mode === "child" ? sandbox.pid : null;
  const snapshot = async () => {
    const usage = await sandbox.usage();
    return {
      stats: usage.stats,
      cpu: {
        collector: await workers.cpuSeconds(),
        sandbox: usage.cpuSeconds,
        pg: pgPid ? treeCpuSeconds(pgPid) : 0,
      },
      wait: {
        collector: await workers.runQueueWaitSeconds(),
        sandbox: sandboxPid ? runQueueWaitSeconds(sandboxPid) : 0,
        pg: pgPid ? treeRunQueueWaitSeconds(pgPid) : 0,
      },
    };
  };
  await sandbox.resetStats();
  const before = await snapshot();
  const run = await workers.scan();
  const after = await snapshot();
  const sts = (after.stats.byOperation.AssumeRole ?? 0) + (after.stats.byOperation.GetCallerIdentity ?? 0);
  const minus = (a: Parts, b: Parts): Parts => ({
    collector: a.collector - b.collector,
    sandbox: a.sandbox - b.sandbox,
    pg: a.pg - b.pg,
  });
  return {
    run,
    stats: after.stats,
    kmsCalls: after.stats.calls - sts,
    cpu: minus(after.cpu, before.cpu),
    wait: minus(after.wait, before.wait),
  };
}

export function printScan(
  f: ScanFigures,
  needed: NeededCalls,
  opts: { cores: number; sharedProcess: boolean },
) {
  const { run, stats, kmsCalls, cpu, wait } = f;
  const s = (n: number) => `${n.toFixed(1)} s`;
  line("wall time", seconds(run.ms));
  const t = run.targetMs;
  line("one account-region took", `median ${t.median} ms, p90 ${t.p90} ms, max ${t.max} ms`);
  line("calls made (collector's count)", int(run.calls));
  line(
    "calls served (sandbox's count)",
    `${int(stats.calls)} (KMS ${int(kmsCalls)}, STS ${int(stats.calls - kmsCalls)})`,
  );
  table(stats.byOperation, { ...needed });
  line("calls the spec needs", int(needed.total));
  line("throughput", `${int(Math.round(kmsCalls / (run.ms / 1000)))} KMS calls/s`);
  line("sandbox peak in-flight", int(stats.peakInFlight));
  line(
    "CPU used",
    opts.sharedProcess
      ? `collector and sandbox ${s(cpu.collector)} (one process), PostgreSQL ${s(cpu.pg)}`
      : `collector ${s(cpu.collector)}, sandbox ${s(cpu.sandbox)}, PostgreSQL ${s(cpu.pg)}`,
  );
  line(
    "runnable, waiting for a CPU",
    `collector ${s(wait.collector)}, sandbox ${opts.sharedProcess ? "-" : s(wait.sandbox)}, PostgreSQL ${s(wait.pg)}`,
  );
  line("collector CPU per KMS call", `${((cpu.collector * 1000) / Math.max(1, kmsCalls)).toFixed(2)} ms`);
  // No schedule can beat the CPU the three need, spread over every core at best.
  const total = cpu.collector + (opts.sharedProcess ? 0 : cpu.sandbox) + cpu.pg;
  line("CPU floor on this machine", `${s(total / opts.cores)} (that CPU spread over ${opts.cores} cores)`);
}
