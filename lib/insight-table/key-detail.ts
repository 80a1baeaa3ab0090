import type { KmsKey, PrismaClient } from "@/lib/generated/prisma/client";
import { accountIdInScope, type AccountScope } from "@/lib/auth/account-scope";
import { fetchKeyTriage, type KeyTriage } from "@/lib/triage/key-timeline";
import type { Severity } from "@/lib/verdict/types";
import { collapseHistory, type HistoryRun } from "./history-runs";
import { fetchStaleMarks, type StaleMark } from "./stale-marks";

/** The scans read for a key's history (the newest); their changes are what the page shows. */
export const KEY_HISTORY_LIMIT = 500;

// Row ids are cuids; anything else (a pasted ARN, a NUL byte PostgreSQL refuses) is simply not found.
const ROW_ID = /^[A-Za-z0-9_-]{1,64}$/;

export interface KeyTagPair {
  key: string;
  value: string;
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
  key: Omit<KmsKey, "tags" | "tagIds"> & { tags: KeyTagPair[] };
  accountName: string;
  /** The finding's changes, newest first: consecutive identical evaluations are one run. */
  history: HistoryRun[];
  /** The history holds only the last KEY_HISTORY_LIMIT scans. */
  historyCut: boolean;
  primary: PrimaryKeyRef | null;
  /** The finding's current exception and its timeline (lib/triage/key-timeline.ts). */
  triage: KeyTriage;
  /** Set when the last scan of the key's account-region failed: what is shown is older. */
  stale: StaleMark | null;
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
    omit: { tagIds: true }, // the counts' copy of the tags (migration 20261210100000), not the page's
  });
  if (!row) return null;
  const { account, tags, ...key } = row;
  // A primary's own configuration names itself as primary; only a replica has another primary.
  const primaryArn = key.primaryKeyArn && key.primaryKeyArn !== key.arn ? key.primaryKeyArn : null;
  const [entries, primaryRow, triage, stale] = await Promise.all([
    db.findingHistory.findMany({
      where: { kmsKeyId: key.id },
      orderBy: { evaluatedAt: "desc" },
      take: KEY_HISTORY_LIMIT,
      select: { severity: true, reason: true, evaluatedAt: true },
    }),
    primaryArn
      ? db.kmsKey.findFirst({
          where: { arn: primaryArn, ...accountIdInScope(scope) },
          select: { id: true, region: true, severity: true, goneAt: true },
        })
      : null,
    fetchKeyTriage(db, key),
    fetchStaleMarks(db, [key], scope),
  ]);
  return {
    key: { ...key, tags: parseTags(tags) },
    accountName: account.name,
    history: collapseHistory(entries),
    historyCut: entries.length === KEY_HISTORY_LIMIT,
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
    stale: stale.values().next().value ?? null,
  };
}
