import { readFileSync } from "node:fs";
import os from "node:os";
import { parseArgs } from "node:util";

// What bench:query, bench:export and bench:overview share: their options, timing and the report.

export interface CommonArgs {
  keys: number;
  scans: number;
}

/** `--keys N` (default 1,000,000) and `--scans N` (default 30), plus each benchmark's own options. */
export function parseBenchArgs(
  usage: string,
  extra: Record<string, { type: "string" | "boolean" }> = {},
): CommonArgs & { values: Record<string, string | boolean | undefined> } {
  const values = parseArgs({
    args: process.argv.slice(2),
    strict: true,
    options: { keys: { type: "string" }, scans: { type: "string" }, help: { type: "boolean" }, ...extra },
  }).values as Record<string, string | boolean | undefined>;
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  const int = (name: string, text: unknown, fallback: number, min: number) => {
    if (text === undefined) return fallback;
    const n = Number(String(text).replace(/_/g, ""));
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer >= ${min}`);
    return n;
  };
  return {
    keys: int("keys", values.keys, 1_000_000, 100),
    scans: int("scans", values.scans, 30, 1),
    values,
  };
}

export function intArg(values: Record<string, unknown>, name: string, fallback: number, min = 1): number {
  const text = values[name];
  if (text === undefined) return fallback;
  const n = Number(String(text).replace(/_/g, ""));
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer >= ${min}`);
  return n;
}

/** The value at quantile q (0..1) of the samples, by the nearest-rank method. */
export function quantile(samples: number[], q: number): number {
  if (!samples.length) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** Every live key: NOT_APPLICABLE ones are exported only when asked for, so ask for all severities. */
export const ALL_KEYS = "severity=CRITICAL&severity=WARNING&severity=OK&severity=NOT_APPLICABLE";

export const median = (samples: number[]) => quantile(samples, 0.5);
export const p95 = (samples: number[]) => quantile(samples, 0.95);

function readOr(file: string, fallback = ""): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return fallback;
  }
}

/** nproc, CPU model, memory, Node, PostgreSQL and the load average when the run started. */
export function machineLines(serverVersion: string, where: string): string[] {
  const cpu = /model name\s*:\s*(.*)/.exec(readOr("/proc/cpuinfo"))?.[1] ?? os.cpus()[0]?.model ?? "unknown";
  return [
    `machine    ${os.availableParallelism()} CPU (${cpu}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GB RAM, ${os.platform()} ${os.release()}`,
    `software   Node ${process.version}, PostgreSQL ${serverVersion} (${where})`,
    `load       ${os
      .loadavg()
      .map((n) => n.toFixed(2))
      .join(" ")} (1, 5, 15 min) at the start: a shared machine`,
  ];
}

export const ms = (n: number) => (Number.isFinite(n) ? `${n < 10 ? n.toFixed(2) : n.toFixed(1)} ms` : "-");
export const verdict = (ok: boolean) => (ok ? "PASS" : "MISS");
export const int = (n: number) => n.toLocaleString("en-US");

/** A plain text table: the first row is the header; numbers and verdicts align right. */
export function printTable(rows: string[][]): void {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? "").length)));
  const line = (r: string[]) =>
    r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join("  ");
  console.log(line(rows[0]!));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const r of rows.slice(1)) console.log(line(r));
}
