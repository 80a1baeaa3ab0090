// A scan worker runs in this process: collect garbage early (see heap.ts).
import "@/lib/collector/heap";
import { parseArgs } from "node:util";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { startScan, startWorker } from "@/lib/collector/queue";
import { NoAccountsError } from "@/lib/collector/scan";
import { UsageError, type CliIO } from "./io";

export const SCAN_USAGE = `Usage:
  npm run cli -- scan [--account ID]...
      Scans every enabled account-region (or the given accounts) now, printing progress; exits 0
      when every account-region succeeded, 1 otherwise. Runs a worker in this process, alongside
      any other worker on the same database.`;

export async function scanCommand(argv: string[], db: PrismaClient, url: string, io: CliIO): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { account: { type: "string", multiple: true } },
    strict: true,
  });
  const worker = await startWorker(db, url, { schedule: false });
  try {
    let scan;
    try {
      scan = await startScan(db, worker.boss, {
        trigger: "CLI",
        requestedBy: "cli",
        accountIds: values.account,
        actor: { actorEmail: "cli" },
      });
    } catch (err) {
      if (err instanceof NoAccountsError) throw new UsageError(err.message);
      throw err;
    }
    io.err(`Scan ${scan.scanId}: ${scan.jobs.length} account-region(s) queued.`);
    const reported = new Set<string>();
    for (;;) {
      const targets = await db.scanTarget.findMany({
        where: { scanId: scan.scanId },
        orderBy: [{ accountId: "asc" }, { region: "asc" }],
      });
      for (const t of targets) {
        if ((t.status === "SUCCEEDED" || t.status === "FAILED") && !reported.has(t.id)) {
          reported.add(t.id);
          const detail =
            t.status === "SUCCEEDED"
              ? `${t.keysSeen} keys, ${t.callsMade} calls, ${t.durationMs} ms`
              : t.error;
          io.err(
            `  [${reported.size}/${targets.length}] ${t.accountId} ${t.region}: ${t.status.toLowerCase()} (${detail})`,
          );
        }
      }
      if (reported.size === targets.length) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    return summarize(db, scan.scanId, io);
  } finally {
    await worker.stop();
  }
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
  io.out(
    [
      `Scan ${scan.id} ${scan.status.toLowerCase()}: ${scan.targets.length - failed.length}/${scan.targets.length} account-regions succeeded, ` +
        `${scan.targets.reduce((n, t) => n + t.keysSeen, 0)} keys, ${scan.targets.reduce((n, t) => n + t.callsMade, 0)} calls.`,
      `Findings: ${["CRITICAL", "WARNING", "OK", "NOT_APPLICABLE"].map((s) => `${s} ${bySeverity[s] ?? 0}`).join(", ")}.`,
      ...failed.map((t) => `Failed: ${t.accountId} ${t.region}: ${t.error}`),
    ].join("\n"),
  );
  return failed.length ? 1 : 0;
}
