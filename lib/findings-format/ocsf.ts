import type { InsightRow } from "@/lib/insight-table/columns";
import type { FindingStatus } from "@/lib/triage/status";
import { reasonLabel, type Severity } from "@/lib/verdict/types";
import type { FindingContext } from "./context";
import { arnPartition, findingUid, INSIGHT_ID } from "./finding-id";
import { complianceResult, mappedControls, remediationOf, remediationText, tagLabels } from "./mapping";

// An OCSF Detection Finding (class 2004) per finding, in OCSF 1.3.0 with its "cloud" profile.
// schemas/ocsf-detection-finding.ts holds the schema the tests check every record against.

export const OCSF_VERSION = "1.3.0";

const CLASS_UID = 2004;
const CATEGORY_UID = 2;

/** The console's severities as OCSF's severity_id (docs/finding-formats.md). */
export const OCSF_SEVERITY: Record<Severity, { id: number; name: string }> = {
  CRITICAL: { id: 5, name: "Critical" },
  WARNING: { id: 3, name: "Medium" },
  OK: { id: 1, name: "Informational" },
  NOT_APPLICABLE: { id: 1, name: "Informational" },
};

/** A finding's status as OCSF's status_id; a key that never failed reads as resolved. */
export const OCSF_STATUS: Record<FindingStatus, { id: number; name: string }> = {
  open: { id: 1, name: "New" },
  excepted: { id: 3, name: "Suppressed" },
  resolved: { id: 4, name: "Resolved" },
  passing: { id: 4, name: "Resolved" },
};

/** A finding that is no longer failing is closed; the others are created (or updated) by a scan. */
const activityOf = (status: FindingStatus) =>
  status === "resolved" || status === "passing" ? { id: 3, name: "Close" } : { id: 1, name: "Create" };

const OCSF_COMPLIANCE = {
  FAILED: { id: 3, name: "Fail" },
  PASSED: { id: 1, name: "Pass" },
  NOT_AVAILABLE: { id: 99, name: "Not applicable" },
} as const;

const ms = (date: Date | null) => (date ? date.getTime() : undefined);

export function ocsfRecord(row: InsightRow, ctx: FindingContext) {
  const severity = OCSF_SEVERITY[row.severity];
  const status = OCSF_STATUS[row.status];
  const activity = activityOf(row.status);
  const remediation = remediationOf(row, ctx);
  const compliance = OCSF_COMPLIANCE[complianceResult(row)];
  const controls = mappedControls(ctx.compliance);
  const reason = reasonLabel(row.reason);
  return {
    activity_id: activity.id,
    activity_name: activity.name,
    category_uid: CATEGORY_UID,
    category_name: "Findings",
    class_uid: CLASS_UID,
    class_name: "Detection Finding",
    type_uid: CLASS_UID * 100 + activity.id,
    type_name: `Detection Finding: ${activity.name}`,
    time: row.lastEvaluated.getTime(),
    severity_id: severity.id,
    severity: severity.name,
    status_id: status.id,
    status: status.name,
    ...(row.exception ? { status_detail: `Excepted: ${row.exception.justification}` } : {}),
    message: row.description,
    metadata: {
      version: OCSF_VERSION,
      profiles: ["cloud"],
      product: { name: "KMS Insights", vendor_name: "KMS Insights", feature: { name: INSIGHT_ID } },
      log_name: INSIGHT_ID,
    },
    finding_info: {
      uid: findingUid(row),
      title: `KMS key rotation: ${reason}`,
      desc: row.description,
      types: ["KMS key rotation"],
      analytic: { uid: row.reason, name: reason, type_id: 1, type: "Rule" },
      ...(row.firstSeen ? { first_seen_time: ms(row.firstSeen), created_time: ms(row.firstSeen) } : {}),
      last_seen_time: row.lastEvaluated.getTime(),
    },
    cloud: {
      provider: "AWS",
      region: row.region,
      account: { uid: row.accountId, name: row.accountName, type_id: 10, type: "AWS Account" },
    },
    resources: [
      {
        uid: row.arn,
        name: row.aliases[0] ?? row.keyId,
        type: "AWS::KMS::Key",
        region: row.region,
        cloud_partition: arnPartition(row.arn),
        labels: tagLabels(row),
      },
    ],
    ...(remediation ? { remediation: { desc: remediationText(remediation) } } : {}),
    // A Detection Finding has no compliance attribute in OCSF 1.3.0: the mapped controls go in
    // `unmapped`, in the words of OCSF's compliance object, for a consumer to map.
    unmapped: {
      compliance: {
        status_id: compliance.id,
        status: compliance.name,
        standards: controls.standards,
        requirements: controls.requirements,
      },
      kms: {
        key_id: row.keyId,
        aliases: row.aliases,
        rotation_status: row.rotationStatus,
        rotation_period_days: row.rotationPeriodDays,
        key_state: row.keyState,
        key_manager: row.keyManager,
        key_spec: row.keySpec,
        origin: row.origin,
        reason: row.reason,
        ...(row.due ? { due_time: ms(row.due) } : {}),
      },
    },
  };
}
