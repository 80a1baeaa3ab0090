// A scan worker runs in this process: collect garbage early (see heap.ts).
import "@/lib/collector/heap";
import { parseArgs } from "node:util";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { recoverInterrupted, startScan, startWorker } from "@/lib/collector/queue";
import { NoAccountsError } from "@/lib/collector/scan";
import { fetchScanProgress } from "@/lib/scans/progress";
import { accountsToScan } from "./demo-accounts";
import { UsageError, type CliIO } from "./io";
import type { CommandHelp } from "./help";
import { progressBar } from "./scan-progress";

export const SCAN_HELP: CommandHelp = {
  command: "scan",
  summary: "scan now, with progress and a summary",
  usage: ["scan [--account ID]... [--timeout DURATION]"],
  description:
    "Scans every enabled account-region (or those of the given accounts) now, with progress (a bar on a " +
    "terminal, a line per account-region otherwise) and a summary on stderr; exits 0 when every account-region succeeded, 1 otherwise. The scan is queued " +
    "for every worker on the database (the console's among them) and a worker runs in this command " +
    "too. An account-region left running by a worker that stopped is reported failed; after " +
    "--timeout the command lists what has not finished and exits 1. Demo accounts are scanned " +
    "through the KMS sandbox of a running `npm start`; without one they are left out, with a notice.",
  options: [
    { flag: "--account ID", text: "scan this account only; repeatable" },
    {
      flag: "--timeout DURATION",
      text: "give up waiting after this long: 90s, 30m, 2h (a bare number is minutes)",
      default: "60m",
    },
  ],
};

const DEFAULT_TIMEOUT = "60m";
const POLL_MS = 500;
/** How often the wait looks for targets whose worker died (their heartbeat stopped). */
const RECOVERY_MS = 10_000;

function parseTimeout(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(s|m|h)?$/.exec(text.trim());
  const ms = m ? Number(m[1]) * { s: 1_000, m: 60_000, h: 3_600_000 }[(m[2] as "s" | "m" | "h") ?? "m"] : NaN;
  if (!(ms > 0)) throw new UsageError(`--timeout must be a duration such as 90s, 30m or 2h, not "${text}".`);
  return ms;
}

function formatDuration(ms: number): string {
  if (ms < 120_000) return `${Math.round(ms / 1000)} s`;
  return ms < 7_200_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 3_600_000)} h`;
}

export async function scanCommand(argv: string[], db: PrismaClient, url: string, io: CliIO): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      account: { type: "string", multiple: true },
      timeout: { type: "string", default: DEFAULT_TIMEOUT },
    },
    strict: true,
  });
  const timeoutMs = parseTimeout(values.timeout);
  const { accountIds, notice } = await accountsToScan(db, values.account);
  if (notice) io.err(notice);
  const worker = await startWorker(db, url, { schedule: false });
  try {
    let scan;
    try {
      scan = await startScan(db, worker.boss, {
        trigger: "CLI",
        requestedBy: "cli",
        accountIds,
        actor: { actorEmail: "cli" },
      });
    } catch (err) {
      if (err instanceof NoAccountsError) throw new UsageError(err.message);
      throw err;
    }
    io.err(`Scan ${scan.scanId}: ${scan.jobs.length} account-region(s) queued.`);
    const deadline = Date.now() + timeoutMs;
    const reported = new Set<string>();
    // On a terminal, one bar redrawn in place; in a log or a pipe, a line per account-region.
    const bar = io.stderr?.isTTY ? progressBar(io.stderr) : null;
    let recoveredAt = 0;
    for (;;) {
      // This command may be the only process working the queue (no scheduler): a target a dead
      // worker left RUNNING would otherwise hold its account-region, and this wait, for hours.
      if (Date.now() - recoveredAt >= RECOVERY_MS) {
        recoveredAt = Date.now();
        await recoverInterrupted(db, worker.boss);
      }
      const targets = await db.scanTarget.findMany({
        where: { scanId: scan.scanId },
        orderBy: [{ accountId: "asc" }, { region: "asc" }],
      });
      if (bar) {
        const progress = await fetchScanProgress(db, null, scan.scanId);
        if (progress) bar.draw(progress);
      } else {
        reportFinished(targets, reported, io);
      }
      // Targets of an account removed meanwhile are gone: what is left decides.
      const pending = targets.filter((t) => t.status === "QUEUED" || t.status === "RUNNING");
      if (!pending.length) break;
      if (Date.now() >= deadline) {
        bar?.end();
        io.err(
          [
            `Timed out after ${formatDuration(timeoutMs)}: ${pending.length} account-region(s) of scan ${scan.scanId} not finished.`,
            ...pending.map((t) => `Not finished: ${t.accountId} ${t.region}: ${pendingDetail(t)}`),
            "They finish without this command: in the worker that has them, or, if that worker stopped, " +
              "failed by the scheduler once their heartbeat is a minute old.",
          ].join("\n"),
        );
        return 1;
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    bar?.end();
    return summarize(db, scan.scanId, io);
  } finally {
    await worker.stop();
  }
}

type Target = Awaited<ReturnType<PrismaClient["scanTarget"]["findMany"]>>[number];

/** A line for each account-region finished since the last call. */
function reportFinished(targets: Target[], reported: Set<string>, io: CliIO) {
  for (const t of targets) {
    if ((t.status !== "SUCCEEDED" && t.status !== "FAILED") || reported.has(t.id)) continue;
    reported.add(t.id);
    const detail =
      t.status === "SUCCEEDED" ? `${t.keysSeen} keys, ${t.callsMade} calls, ${t.durationMs} ms` : t.error;
    io.err(
      `  [${reported.size}/${targets.length}] ${t.accountId} ${t.region}: ${t.status.toLowerCase()} (${detail})`,
    );
  }
}

function pendingDetail(t: { status: string; heartbeatAt: Date | null }): string {
  if (t.status === "QUEUED") return "still queued (no worker has taken it)";
  const beat = t.heartbeatAt
    ? `, last heartbeat ${formatDuration(Date.now() - t.heartbeatAt.getTime())} ago`
    : "";
  return `still running${beat}`;
}

async function summarize(db: PrismaClient, scanId: string, io: CliIO): Promise<number> {
  const scan = await db.scan.findUniqueOrThrow({ where: { id: scanId }, include: { targets: true } });
  const failed = scan.targets.filter((t) => t.status === "FAILED");
  const counts = await db.kmsKey.groupBy({
    by: ["severity"],
    where: { goneAt: null, accountId: { in: [...new Set(scan.targets.map((t) => t.accountId))] } },
    _count: { _all: true },
  });
  const bySeverity = Object.fromEntries(counts.map((c) => [c.severity, c._count._all]));
  io.err(
    [
      `Scan ${scan.id} ${scan.status.toLowerCase()}: ${scan.targets.length - failed.length}/${scan.targets.length} account-regions succeeded, ` +
        `${scan.targets.reduce((n, t) => n + t.keysSeen, 0)} keys, ${scan.targets.reduce((n, t) => n + t.callsMade, 0)} calls.`,
      `Findings: ${["CRITICAL", "WARNING", "OK", "NOT_APPLICABLE"].map((s) => `${s} ${bySeverity[s] ?? 0}`).join(", ")}.`,
      ...failed.map((t) => `Failed: ${t.accountId} ${t.region}: ${t.error}`),
    ].join("\n"),
  );
  return failed.length ? 1 : 0;
}
