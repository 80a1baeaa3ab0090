import type { InsightRow } from "@/lib/insight-table/columns";
import type { FindingStatus } from "@/lib/triage/status";
import { reasonLabel, type Severity } from "@/lib/verdict/types";
import type { FindingContext } from "./context";
import { arnPartition, findingUid, INSIGHT_ID } from "./finding-id";
import { complianceResult, mappedControls, remediationOf, remediationText } from "./mapping";

// A finding in the AWS Security Finding Format, as Security Hub's BatchImportFindings takes it
// (100 findings a call at most; docs/finding-formats.md). schemas/asff.ts holds the required
// fields, value sets and lengths the tests check every record against.

export const ASFF_SCHEMA_VERSION = "2018-10-08";
export const ASFF_GENERATOR_ID = `kms-insights/${INSIGHT_ID}`;

/** The console's severities as ASFF's Severity.Label. */
export const ASFF_SEVERITY: Record<Severity, "CRITICAL" | "MEDIUM" | "INFORMATIONAL"> = {
  CRITICAL: "CRITICAL",
  WARNING: "MEDIUM",
  OK: "INFORMATIONAL",
  NOT_APPLICABLE: "INFORMATIONAL",
};

/** A finding's status as ASFF's Workflow.Status (Security Hub resolves passed checks as well). */
export const ASFF_WORKFLOW: Record<FindingStatus, "NEW" | "SUPPRESSED" | "RESOLVED"> = {
  open: "NEW",
  excepted: "SUPPRESSED",
  resolved: "RESOLVED",
  passing: "RESOLVED",
};

// ASFF's limits (AWS Security Hub API reference, AwsSecurityFinding and its objects).
export const ASFF_LIMITS = {
  title: 256,
  description: 1024,
  recommendation: 512,
  relatedRequirements: 32,
  tags: 50,
  tagKey: 128,
  tagValue: 256,
};

/** `text` cut to `max` characters, with an ellipsis when cut. */
function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** The key's tags as ASFF's map: the first 50, keys and values within ASFF's lengths. */
function asffTags(row: InsightRow): Record<string, string> | undefined {
  if (!row.tags.length) return undefined;
  const tags: Record<string, string> = {};
  for (const tag of row.tags.slice(0, ASFF_LIMITS.tags)) {
    if (tag.key.length <= ASFF_LIMITS.tagKey) tags[tag.key] = tag.value.slice(0, ASFF_LIMITS.tagValue);
  }
  return tags;
}

export function asffRecord(row: InsightRow, ctx: FindingContext) {
  const at = row.lastEvaluated.toISOString();
  const label = ASFF_SEVERITY[row.severity];
  const types = ["Software and Configuration Checks/AWS Security Best Practices"];
  const remediation = remediationOf(row, ctx);
  const partition = arnPartition(row.arn);
  const tags = asffTags(row);
  return {
    SchemaVersion: ASFF_SCHEMA_VERSION,
    Id: findingUid(row),
    // The default product of the finding's own account and region: BatchImportFindings takes a
    // finding from the account it names, in the region its ProductArn names.
    ProductArn: `arn:${partition}:securityhub:${row.region}:${row.accountId}:product/${row.accountId}/default`,
    ProductName: "KMS Insights",
    CompanyName: "KMS Insights",
    Region: row.region,
    GeneratorId: ASFF_GENERATOR_ID,
    AwsAccountId: row.accountId,
    Types: types,
    ...(row.firstSeen ? { FirstObservedAt: row.firstSeen.toISOString() } : {}),
    LastObservedAt: at,
    CreatedAt: (row.firstSeen ?? row.lastEvaluated).toISOString(),
    UpdatedAt: at,
    Severity: { Label: label, Original: row.severity },
    FindingProviderFields: { Severity: { Label: label, Original: row.severity }, Types: types },
    Title: clip(`KMS key rotation: ${reasonLabel(row.reason)}`, ASFF_LIMITS.title),
    Description: clip(row.description || row.reason, ASFF_LIMITS.description),
    ...(remediation
      ? {
          Remediation: {
            Recommendation: { Text: clip(remediationText(remediation), ASFF_LIMITS.recommendation) },
          },
        }
      : {}),
    ProductFields: {
      "kms-insights/Insight": INSIGHT_ID,
      "kms-insights/Reason": row.reason,
      "kms-insights/Status": row.status,
      "kms-insights/AccountName": row.accountName,
      ...(row.exception ? { "kms-insights/ExceptionId": row.exception.id } : {}),
    },
    Resources: [
      {
        Type: "AwsKmsKey",
        Id: row.arn,
        Partition: partition,
        Region: row.region,
        ...(tags ? { Tags: tags } : {}),
        Details: {
          AwsKmsKey: {
            KeyId: row.keyId,
            KeyManager: row.keyManager,
            KeyState: row.keyState,
            Origin: row.origin,
            ...(row.rotationStatus === "enabled" || row.rotationStatus === "disabled"
              ? { KeyRotationStatus: row.rotationStatus === "enabled" }
              : {}),
          },
        },
      },
    ],
    Compliance: {
      Status: complianceResult(row),
      RelatedRequirements: mappedControls(ctx.compliance).requirements.slice(
        0,
        ASFF_LIMITS.relatedRequirements,
      ),
    },
    Workflow: { Status: ASFF_WORKFLOW[row.status] },
    RecordState: "ACTIVE" as const,
  };
}
