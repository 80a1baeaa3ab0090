import { readFileSync } from "node:fs";
import os from "node:os";

// What the benchmark prints: the machine, each figure, and the targets beside the results.

export function machine(): string {
  const cpu =
    /model name\s*:\s*(.*)/.exec(safeRead("/proc/cpuinfo"))?.[1] ?? os.cpus()[0]?.model ?? "unknown";
  const memGb = (os.totalmem() / 2 ** 30).toFixed(1);
  return `${os.availableParallelism()} CPU (${cpu}), ${memGb} GB RAM, Node ${process.version}, ${os.platform()} ${os.release()}`;
}

function safeRead(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

export const load = () =>
  os
    .loadavg()
    .map((n) => n.toFixed(2))
    .join(" ");
export const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
export const int = (n: number) => n.toLocaleString("en-US");

export function line(label: string, value: string): void {
  console.log(`  ${label.padEnd(34)} ${value}`);
}

export function target(label: string, value: string, goal: string, ok: boolean): void {
  console.log(`  ${label.padEnd(34)} ${value.padEnd(22)} target ${goal.padEnd(12)} ${ok ? "PASS" : "MISS"}`);
}

export function table(rows: Record<string, number>, extra?: Record<string, number>): void {
  for (const [op, n] of Object.entries(rows)) {
    const other = extra ? `  (spec needs ${int(extra[op] ?? 0)})` : "";
    console.log(`    ${op.padEnd(24)} ${int(n).padStart(8)}${other}`);
  }
}
