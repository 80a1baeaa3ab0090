import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { ScanStatus, ScanTrigger } from "@/lib/generated/prisma/enums";
import { accountIdInScope } from "@/lib/auth/account-scope";
import { fetchScanDeltas, type DeltaCounts } from "@/lib/triage/scan-delta";
import { visibleScanError } from "./scan-error";
import { scanInScope, startedBy, type ScanViewer } from "./started-by";

export const SCAN_PAGE_SIZE = 10;

export interface ScanTargetRow {
  accountId: string;
  accountName: string;
  region: string;
  status: ScanStatus;
  error: string | null;
  keysSeen: number;
  keyErrors: number;
  callsMade: number;
  startedAt: Date | null;
  finishedAt: Date | null;
  durationMs: number | null;
}

export interface ScanHistoryEntry {
  id: string;
  trigger: ScanTrigger;
  status: ScanStatus;
  /** "the scheduler", "the CLI", "you (email)", or another user's email (to an admin; else "an admin"). */
  startedBy: string;
  startedAt: Date;
  finishedAt: Date | null;
  error: string | null;
  /** Only the account-regions in the user's scope. */
  targets: ScanTargetRow[];
  /** Findings new, resolved, reopened and still failing, summed over those account-regions; null before any finished. */
  delta: DeltaCounts | null;
}

export interface ScanHistory {
  scans: ScanHistoryEntry[];
  total: number;
  /** The page shown: the one asked for, brought within 1..pageCount. */
  page: number;
  pageSize: number;
  pageCount: number;
}

/**
 * Scans, newest first, one page at a time, each with its account-regions in scope. A viewer limited
 * to some accounts sees only the scans that listed one of them (none when it has no account).
 */
export async function fetchScanHistory(
  db: PrismaClient,
  request: { page: number; pageSize?: number },
  viewer: ScanViewer,
): Promise<ScanHistory> {
  const scope = viewer.accountScope;
  const pageSize = Math.max(1, Math.floor(request.pageSize ?? SCAN_PAGE_SIZE));
  const where = scanInScope(scope);
  const total = await db.scan.count({ where });
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(Math.max(1, Math.floor(request.page) || 1), pageCount);
  const scans = await db.scan.findMany({
    where,
    orderBy: [{ startedAt: "desc" }, { id: "desc" }],
    skip: (page - 1) * pageSize,
    take: pageSize,
    include: {
      targets: {
        where: accountIdInScope(scope),
        orderBy: [{ accountId: "asc" }, { region: "asc" }],
        include: { account: { select: { name: true } } },
      },
    },
  });
  const deltas = await fetchScanDeltas(
    db,
    scans.map((s) => s.id),
    scope,
  );
  return {
    total,
    page,
    pageSize,
    pageCount,
    scans: scans.map(({ targets, error, requestedBy, ...scan }) => ({
      ...scan,
      startedBy: startedBy({ trigger: scan.trigger, requestedBy }, viewer),
      delta: deltas.get(scan.id) ?? null,
      error: visibleScanError(error, scope),
      targets: targets.map(({ account, ...t }) => ({
        accountId: t.accountId,
        accountName: account.name,
        region: t.region,
        status: t.status,
        error: t.error,
        keysSeen: t.keysSeen,
        keyErrors: t.keyErrors,
        callsMade: t.callsMade,
        startedAt: t.startedAt,
        finishedAt: t.finishedAt,
        durationMs: t.durationMs,
      })),
    })),
  };
}
