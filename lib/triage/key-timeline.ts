import type { FindingEventKind } from "@/lib/generated/prisma/enums";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { ExceptionKindName } from "@/lib/exceptions/schema";
import type { Severity } from "@/lib/verdict/types";
import { exceptionKindFromEnum } from "./status";

// A finding's timeline on its key's page: each change of the finding (finding_events) with the scan
// that saw it, and each version of an exception that ever covered or names the key, with its own
// changes (created, approved, revoked, replaced, expired). Newest first.

/** The finding events kept on the page: a key that flips every scan still has a short page. */
export const KEY_EVENTS_LIMIT = 100;

export interface KeyException {
  id: string;
  version: number;
  kind: ExceptionKindName;
  justification: string;
  owner: string;
  expiresAt: Date;
  ticketUrl: string | null;
}

export type TimelineEntry =
  | {
      type: "finding";
      id: string;
      at: Date;
      kind: FindingEventKind;
      severity: Severity;
      /** RESOLVED: why; EXCEPTION_ENDED: EXPIRED or REVOKED; otherwise the verdict's reason. */
      reason: string | null;
      exceptionId: string | null;
      /** The scan that saw it; null for a change made outside a scan (an exception, a setting). */
      scan: { id: string; startedAt: Date } | null;
    }
  | {
      type: "exception";
      id: string;
      at: Date;
      action: "created" | "approved" | "revoked" | "replaced" | "expired";
      /** Who did it (created, approved, revoked); null for an expiry or a replacement. */
      by: string | null;
      exception: KeyException;
    };

export interface KeyTriage {
  /** The exception in force that covers the key, if any. */
  exception: KeyException | null;
  timeline: TimelineEntry[];
}

type ExceptionRow = Awaited<ReturnType<PrismaClient["findingException"]["findMany"]>>[number];

const toKeyException = (x: ExceptionRow): KeyException => ({
  id: x.id,
  version: x.version,
  kind: exceptionKindFromEnum(x.kind),
  justification: x.justification,
  owner: x.ownerEmail,
  expiresAt: x.expiresAt,
  ticketUrl: x.ticketUrl,
});

function exceptionEntries(x: ExceptionRow, now: Date): TimelineEntry[] {
  const exception = toKeyException(x);
  const entry = (
    action: Extract<TimelineEntry, { type: "exception" }>["action"],
    at: Date,
    by: string | null,
  ) => ({ type: "exception", id: `${x.id}/${action}`, at, action, by, exception }) as const;
  const entries: TimelineEntry[] = [entry("created", x.createdAt, x.createdByEmail)];
  if (x.approvedAt) entries.push(entry("approved", x.approvedAt, x.approvedByEmail));
  if (x.revokedAt) entries.push(entry("revoked", x.revokedAt, x.revokedByEmail));
  if (x.supersededAt) entries.push(entry("replaced", x.supersededAt, null));
  // It expired if it reached its expiry still standing (neither revoked nor replaced before).
  const ended = [x.revokedAt, x.supersededAt].filter((d): d is Date => d !== null);
  if (x.expiresAt <= now && !ended.some((d) => d < x.expiresAt))
    entries.push(entry("expired", x.expiresAt, null));
  return entries;
}

/** The key's current exception and its timeline, newest first. */
export async function fetchKeyTriage(
  db: PrismaClient,
  key: { id: string; arn: string; exceptionId: string | null },
  now = new Date(),
): Promise<KeyTriage> {
  const events = await db.findingEvent.findMany({
    where: { kmsKeyId: key.id },
    orderBy: [{ at: "desc" }, { id: "desc" }],
    take: KEY_EVENTS_LIMIT,
  });
  const scanIds = [...new Set(events.flatMap((e) => (e.scanId ? [e.scanId] : [])))];
  const exceptionIds = [
    ...new Set(
      events
        .flatMap((e) => (e.exceptionId ? [e.exceptionId] : []))
        .concat(key.exceptionId ? [key.exceptionId] : []),
    ),
  ];
  const [scans, exceptions] = await Promise.all([
    scanIds.length
      ? db.scan.findMany({ where: { id: { in: scanIds } }, select: { id: true, startedAt: true } })
      : [],
    // Those that covered it (its events name them) and those that list it by ARN (pending, revoked too).
    db.findingException.findMany({
      where: { OR: [{ id: { in: exceptionIds } }, { keyArns: { has: key.arn } }] },
    }),
  ]);
  const scanById = new Map(scans.map((s) => [s.id, s]));
  const timeline: TimelineEntry[] = [
    ...events.map((e): TimelineEntry => ({
      type: "finding",
      id: String(e.id),
      at: e.at,
      kind: e.kind,
      severity: e.severity,
      reason: e.reason,
      exceptionId: e.exceptionId,
      scan: e.scanId ? (scanById.get(e.scanId) ?? null) : null,
    })),
    ...exceptions.flatMap((x) => exceptionEntries(x, now)),
  ];
  timeline.sort((a, b) => b.at.getTime() - a.at.getTime() || rank(a) - rank(b));
  const current = exceptions.find((x) => x.id === key.exceptionId);
  return { exception: current ? toKeyException(current) : null, timeline };
}

/** At an equal time: the finding's change (which follows the exception's), then the exception's latest step. */
const STEP_ORDER = ["expired", "replaced", "revoked", "approved", "created"] as const;
const rank = (e: TimelineEntry) => (e.type === "finding" ? 0 : 1 + STEP_ORDER.indexOf(e.action));
