import type { AwsAccount } from "@/lib/generated/prisma/client";
import type { ExceptionRow } from "@/lib/exceptions/list";
import type { KeyDetail } from "@/lib/insight-table/key-detail";
import type { FixPlanSummary } from "@/lib/remediation/read";
import type { ScanHistory } from "@/lib/scans/history";
import type { ComplianceStatus } from "@/lib/verdict/compliance-status";
import { toFinding } from "./findings";

// The console's records as the API answers them (./schemas.ts): dates as ISO 8601 text, and only
// the fields the API documents (an account's secrets never).

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toKeyDetail(detail: KeyDetail) {
  const k = detail.key;
  return {
    finding: {
      ...toFindingOfKey(k, detail.accountName),
      keyUsage: k.keyUsage,
      enabled: k.enabled,
      multiRegion: k.multiRegion,
      primaryKeyArn: k.primaryKeyArn,
      creationDate: iso(k.creationDate),
      deletionDate: iso(k.deletionDate),
      goneAt: iso(k.goneAt),
      resolvedAt: iso(k.resolvedAt),
      resolvedReason: k.resolvedReason,
    },
    history: detail.history.map((h) => ({ ...h, from: h.from.toISOString(), to: h.to.toISOString() })),
    historyCut: detail.historyCut,
  };
}

export function toScansPage(history: ScanHistory) {
  return {
    total: history.total,
    page: history.page,
    pageCount: history.pageCount,
    items: history.scans.map((s) => ({
      id: s.id,
      trigger: s.trigger,
      status: s.status,
      startedBy: s.startedBy,
      startedAt: s.startedAt.toISOString(),
      finishedAt: iso(s.finishedAt),
      error: s.error,
      targets: s.targets.map((t) => ({
        accountId: t.accountId,
        accountName: t.accountName,
        region: t.region,
        status: t.status,
        error: t.error,
        keysSeen: t.keysSeen,
        keyErrors: t.keyErrors,
        startedAt: iso(t.startedAt),
        finishedAt: iso(t.finishedAt),
      })),
    })),
  };
}

export function toAccount(a: AwsAccount) {
  return {
    id: a.id,
    name: a.name,
    regions: a.regions,
    enabled: a.enabled,
    isDemo: a.isDemo,
    accessMethod: a.accessMethod,
    roleArn: a.roleArn,
    remediation: a.remediationMethod !== null,
    lastTestedAt: iso(a.lastTestedAt),
    lastTestResult: a.lastTestResult,
  };
}

export function toException(x: ExceptionRow) {
  return {
    id: x.id,
    seriesId: x.seriesId,
    version: x.version,
    kind: x.kind,
    state: x.state,
    justification: x.justification,
    ownerEmail: x.ownerEmail,
    createdByEmail: x.createdByEmail,
    createdAt: x.createdAt.toISOString(),
    expiresAt: x.expiresAt.toISOString(),
    ticketUrl: x.ticketUrl,
    scope: x.scope,
    approvedAt: iso(x.approvedAt),
    revokedAt: iso(x.revokedAt),
    keysCovered: x.keysCovered,
  };
}

export function toFixPlan(p: FixPlanSummary) {
  return {
    id: p.id,
    kind: p.kind,
    status: p.status,
    createdByEmail: p.createdByEmail,
    createdAt: p.createdAt.toISOString(),
    counts: p.counts,
  };
}

export function toCompliance(status: ComplianceStatus) {
  return {
    evaluatedKeys: status.evaluatedKeys,
    excepted: status.excepted,
    counts: status.counts,
    frameworks: status.frameworks.map((f) => ({
      id: f.id,
      name: f.name,
      version: f.version,
      references: f.references,
      status: f.status,
      affectedKeys: f.affectedKeys,
    })),
  };
}

type KeyRow = KeyDetail["key"];

function toFindingOfKey(k: KeyRow, accountName: string) {
  const finding = toFinding({
    id: k.id,
    severity: k.severity,
    status: k.status.toLowerCase() as never,
    reason: k.reason as never,
    description: k.findingDescription,
    accountId: k.accountId,
    accountName,
    region: k.region,
    keyId: k.keyId,
    arn: k.arn,
    aliases: k.aliases,
    rotationStatus: k.rotationStatus as never,
    rotationPeriodDays: k.rotationPeriodDays,
    nextRotation: k.nextRotation,
    lastRotation: k.lastRotation,
    keyManager: k.keyManager,
    keySpec: k.keySpec,
    keyState: k.keyState,
    origin: k.origin,
    tags: k.tags,
    lastEvaluated: k.evaluatedAt,
    firstSeen: k.firstFailedAt,
    openForDays: null,
    due: k.dueAt,
    overdue: false,
    resolvedReason: k.resolvedReason,
    exceptionExpiredAt: k.exceptionExpiredAt,
    exception: null,
  });
  const { openForDays: _o, overdue: _d, ...rest } = finding;
  return { ...rest, exceptionId: k.exceptionId };
}
