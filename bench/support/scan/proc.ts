import { readdirSync, readFileSync } from "node:fs";

// CPU seconds of other processes, from /proc (Linux): enough to say where a run's CPU went.

const TICKS_PER_SECOND = 100; // USER_HZ: 100 on every Linux architecture Node supports

interface ProcStat {
  pid: number;
  ppid: number;
  /** Own user+system ticks, and those of children it has waited for. */
  ticks: number;
  childTicks: number;
}

function readStat(pid: number): ProcStat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command (which may contain spaces) start at "state" (field 3).
    const f = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return {
      pid,
      ppid: Number(f[1]),
      ticks: Number(f[11]) + Number(f[12]),
      childTicks: Number(f[13]) + Number(f[14]),
    };
  } catch {
    return null;
  }
}

function allPids(): number[] {
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
  } catch {
    return "";
  }
}

/** CPU seconds of a process tree root: itself, its waited-for children, and its live children. */
export function treeCpuSeconds(rootPid: number): number {
  const root = readStat(rootPid);
  if (!root) return 0;
  let ticks = root.ticks + root.childTicks;
  for (const pid of allPids()) {
    const s = pid === rootPid ? null : readStat(pid);
    if (s?.ppid === rootPid) ticks += s.ticks;
  }
  return ticks / TICKS_PER_SECOND;
}

/** The postmaster of a cluster directory (its command line names the directory), or null. */
export function postmasterOf(dataDir: string): number | null {
  for (const pid of allPids()) {
    const line = cmdline(pid);
    if (line.includes(dataDir) && /postgres/.test(line)) {
      const parent = readStat(pid)?.ppid;
      // Backends are forked without exec: only the postmaster's parent is not a postgres.
      if (parent && !cmdline(parent).includes(dataDir)) return pid;
    }
  }
  return null;
}

/** Seconds the threads of `pid` spent runnable but waiting for a CPU (/proc/<pid>/task/<tid>/schedstat). */
export function runQueueWaitSeconds(pid: number): number {
  let ns = 0;
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      ns += Number(safe(`/proc/${pid}/task/${tid}/schedstat`).split(" ")[1] ?? 0);
    }
  } catch {
    return 0;
  }
  return ns / 1e9;
}

/** Run-queue wait of a process and its live children (PostgreSQL's backends). */
export function treeRunQueueWaitSeconds(rootPid: number): number {
  let s = runQueueWaitSeconds(rootPid);
  for (const pid of allPids())
    if (pid !== rootPid && readStat(pid)?.ppid === rootPid) s += runQueueWaitSeconds(pid);
  return s;
}

function safe(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

/** The peak resident set of a live process (VmHWM), in MB. */
export function peakRssMb(pid: number): number {
  const kb = /VmHWM:\s+(\d+) kB/.exec(safe(`/proc/${pid}/status`))?.[1];
  return kb ? Number(kb) / 1024 : 0;
}

/** The resident set of a live process now (VmRSS), in MB. */
export function rssMb(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(safe(`/proc/${pid}/status`))?.[1];
  return kb ? Number(kb) / 1024 : 0;
}
