import type { KmsKey, PrismaClient } from "@/lib/generated/prisma/client";
import type { ScanStatus } from "@/lib/generated/prisma/enums";
import { accountIdInScope, type AccountScope } from "@/lib/auth/account-scope";
import { fetchKeyTriage, type KeyTriage } from "@/lib/triage/key-timeline";
import type { Severity } from "@/lib/verdict/types";

export const KEY_HISTORY_LIMIT = 50;

// Row ids are cuids; anything else (a pasted ARN, a NUL byte PostgreSQL refuses) is simply not found.
const ROW_ID = /^[A-Za-z0-9_-]{1,64}$/;

export interface KeyTagPair {
  key: string;
  value: string;
}

export interface FindingHistoryEntry {
  scanId: string;
  scanStartedAt: Date | null;
  scanStatus: ScanStatus | null;
  severity: Severity;
  reason: string;
  evaluatedAt: Date;
}

/** The multi-Region primary of a replica: always its ARN and region, a row id when we have the key. */
export interface PrimaryKeyRef {
  arn: string;
  region: string | null;
  id: string | null;
  severity: Severity | null;
  gone: boolean;
}

export interface KeyDetail {
  key: Omit<KmsKey, "tags"> & { tags: KeyTagPair[] };
  accountName: string;
  history: FindingHistoryEntry[];
  primary: PrimaryKeyRef | null;
  /** The finding's current exception and its timeline (lib/triage/key-timeline.ts). */
  triage: KeyTriage;
}

function parseTags(value: unknown): KeyTagPair[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((t): t is KeyTagPair => typeof t?.key === "string" && typeof t?.value === "string")
    .map((t) => ({ key: t.key, value: t.value }));
}

/** One key (gone ones too) with its finding history; null when unknown or outside the scope. */
export async function fetchKeyDetail(
  db: PrismaClient,
  id: string,
  scope: AccountScope,
): Promise<KeyDetail | null> {
  if (!ROW_ID.test(id)) return null;
  const row = await db.kmsKey.findFirst({
    where: { id, ...accountIdInScope(scope) },
    include: { account: { select: { name: true } } },
  });
  if (!row) return null;
  const { account, tags, ...key } = row;
  // A primary's own configuration names itself as primary; only a replica has another primary.
  const primaryArn = key.primaryKeyArn && key.primaryKeyArn !== key.arn ? key.primaryKeyArn : null;
  const [history, primaryRow, triage] = await Promise.all([
    fetchHistory(db, key.id),
    primaryArn
      ? db.kmsKey.findFirst({
          where: { arn: primaryArn, ...accountIdInScope(scope) },
          select: { id: true, region: true, severity: true, goneAt: true },
        })
      : null,
    fetchKeyTriage(db, key),
  ]);
  return {
    key: { ...key, tags: parseTags(tags) },
    accountName: account.name,
    history,
    primary: primaryArn
      ? {
          arn: primaryArn,
          region: key.primaryRegion ?? primaryRow?.region ?? null,
          id: primaryRow?.id ?? null,
          severity: primaryRow?.severity ?? null,
          gone: primaryRow?.goneAt != null,
        }
      : null,
    triage,
  };
}

async function fetchHistory(db: PrismaClient, kmsKeyId: string): Promise<FindingHistoryEntry[]> {
  const entries = await db.findingHistory.findMany({
    where: { kmsKeyId },
    orderBy: { evaluatedAt: "desc" },
    take: KEY_HISTORY_LIMIT,
  });
  const scans = entries.length
    ? await db.scan.findMany({
        where: { id: { in: entries.map((e) => e.scanId) } },
        select: { id: true, startedAt: true, status: true },
      })
    : [];
  const scanById = new Map(scans.map((s) => [s.id, s]));
  return entries.map((e) => ({
    scanId: e.scanId,
    scanStartedAt: scanById.get(e.scanId)?.startedAt ?? null,
    scanStatus: scanById.get(e.scanId)?.status ?? null,
    severity: e.severity,
    reason: e.reason,
    evaluatedAt: e.evaluatedAt,
  }));
}
