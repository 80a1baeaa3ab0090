import { fork } from "node:child_process";
import { startSandbox, type SandboxStats } from "@/lib/kms-sandbox";
import {
  benchAccounts,
  benchEstate,
  neededCalls,
  type BenchAccount,
  type EstateShape,
  type NeededCalls,
} from "./estate";

// Runs the KMS sandbox for the benchmark, in this process or in a child process (so that its CPU
// is not spent on the collector's event loop), behind one interface.

export interface SandboxReady {
  url: string;
  accounts: BenchAccount[];
  needed: NeededCalls;
  keys: number;
  keysByAccount: number[];
}

export interface SandboxUsage {
  stats: SandboxStats;
  /** CPU seconds of the sandbox's process since it started (the whole process when in-process). */
  cpuSeconds: number;
  maxRssMb: number;
}

export interface SandboxHost extends SandboxReady {
  mode: "child" | "in-process";
  pid: number;
  usage(): Promise<SandboxUsage>;
  resetStats(): Promise<void>;
  stop(): Promise<void>;
}

export interface SandboxConfig {
  shape: EstateShape;
  latencyMs: number;
}

export type ChildRequest = { type: "usage" } | { type: "reset" } | { type: "stop" };
export type ChildReply =
  | ({ type: "ready" } & SandboxReady)
  | ({ type: "usage" } & SandboxUsage)
  | { type: "reset" }
  | { type: "error"; message: string };

export function processUsage(): { cpuSeconds: number; maxRssMb: number } {
  const cpu = process.cpuUsage();
  return { cpuSeconds: (cpu.user + cpu.system) / 1e6, maxRssMb: process.resourceUsage().maxRSS / 1024 };
}

/** Starts the sandbox serving the benchmark estate; used by the child entry and in-process. */
export async function serveBenchEstate(config: SandboxConfig) {
  const estate = benchEstate(config.shape);
  const { calls, keys, keysByAccount } = neededCalls(estate);
  const sandbox = await startSandbox({ estate, faults: { latencyMs: config.latencyMs } });
  const ready: SandboxReady = {
    url: sandbox.url,
    accounts: benchAccounts(estate),
    needed: calls,
    keys,
    keysByAccount,
  };
  return { sandbox, ready };
}

export async function startInProcess(config: SandboxConfig): Promise<SandboxHost> {
  const { sandbox, ready } = await serveBenchEstate(config);
  return {
    ...ready,
    mode: "in-process",
    pid: process.pid,
    usage: async () => ({ stats: sandbox.stats(), ...processUsage() }),
    resetStats: async () => sandbox.resetStats(),
    stop: () => sandbox.stop(),
  };
}

export async function startChild(config: SandboxConfig): Promise<SandboxHost> {
  const child = fork(new URL("./sandbox-child.ts", import.meta.url).pathname, [JSON.stringify(config)], {
    execArgv: ["--import", "tsx", ...(process.env.BENCH_SANDBOX_PROF ? ["--cpu-prof"] : [])],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  // Answers come back in the order of the requests; an exit fails whatever is still waiting.
  const pending: { resolve: (reply: ChildReply) => void; reject: (err: Error) => void }[] = [];
  child.on("message", (reply: ChildReply) => pending.shift()?.resolve(reply));
  const exited = new Promise<void>((resolve) =>
    child.once("exit", (code) => {
      for (const p of pending.splice(0)) p.reject(new Error(`the sandbox process exited (${code})`));
      resolve();
    }),
  );
  const next = (request?: ChildRequest) =>
    new Promise<ChildReply>((resolve, reject) => {
      pending.push({ resolve, reject });
      if (request) child.send(request);
    });
  const first = await next();
  if (first.type !== "ready") throw new Error(`the sandbox did not start: ${JSON.stringify(first)}`);
  const { type: _type, ...ready } = first;
  return {
    ...ready,
    mode: "child",
    pid: child.pid!,
    async usage() {
      const reply = await next({ type: "usage" });
      if (reply.type !== "usage") throw new Error(`unexpected answer ${reply.type}`);
      const { type: _t, ...usage } = reply;
      return usage;
    },
    async resetStats() {
      await next({ type: "reset" });
    },
    async stop() {
      child.send({ type: "stop" } satisfies ChildRequest);
      await exited;
    },
  };
}
