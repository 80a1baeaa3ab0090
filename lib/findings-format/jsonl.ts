import type { InsightRow } from "@/lib/insight-table/columns";
import type { ComplianceMappings } from "@/lib/verdict/compliance";
import type { FindingContext } from "./context";
import { findingUid, INSIGHT_ID } from "./finding-id";
import { complianceResult, isoOrNull, remediationOf } from "./mapping";

type Framework = Pick<ComplianceMappings["frameworks"][number], "id" | "name" | "version" | "references">;
const frameworksCache = new WeakMap<ComplianceMappings, readonly Framework[]>();

/** The mapped frameworks as every record names them: made once per mappings file read. */
export function frameworksOf(mappings: ComplianceMappings): readonly Framework[] {
  let frameworks = frameworksCache.get(mappings);
  if (!frameworks) {
    frameworks = mappings.frameworks.map(({ id, name, version, references }) => ({
      id,
      name,
      version,
      references,
    }));
    frameworksCache.set(mappings, frameworks);
  }
  return frameworks;
}

/**
 * The finding as the console knows it, one JSON object a line: the CSV's columns as typed values
 * (numbers, ISO 8601 times, lists), with the stable id, the remediation and the compliance result.
 */
export function jsonlRecord(row: InsightRow, ctx: FindingContext) {
  const remediation = remediationOf(row, ctx);
  return {
    id: findingUid(row),
    insight: INSIGHT_ID,
    severity: row.severity,
    status: row.status,
    accountId: row.accountId,
    accountName: row.accountName,
    region: row.region,
    keyId: row.keyId,
    arn: row.arn,
    aliases: row.aliases,
    rotationStatus: row.rotationStatus,
    rotationPeriodDays: row.rotationPeriodDays,
    nextRotation: isoOrNull(row.nextRotation),
    lastRotation: isoOrNull(row.lastRotation),
    keyManager: row.keyManager,
    keySpec: row.keySpec,
    keyState: row.keyState,
    origin: row.origin,
    tags: Object.fromEntries(row.tags.map((tag) => [tag.key, tag.value])),
    reason: row.reason,
    description: row.description,
    lastEvaluated: row.lastEvaluated.toISOString(),
    firstSeen: isoOrNull(row.firstSeen),
    openForDays: row.openForDays,
    due: isoOrNull(row.due),
    overdue: row.overdue,
    resolvedReason: row.resolvedReason,
    exception: exceptionRecord(row.exception),
    remediation,
    compliance: {
      result: complianceResult(row),
      frameworks: frameworksOf(ctx.compliance),
    },
  };
}

/** A record's exception: the row's, its expiry as an ISO 8601 time. */
export function exceptionRecord(exception: InsightRow["exception"]) {
  return exception && { ...exception, expiresAt: exception.expiresAt.toISOString() };
}
