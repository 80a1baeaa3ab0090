import { z } from "zod";

// OCSF 1.3.0, Detection Finding (class_uid 2004, category Findings) with the "cloud" profile: the
// attributes this export emits, their requirements, types and enum ids, taken from the ocsf/ocsf-schema
// repository at tag 1.3.0:
//   events/base_event.json, includes/classification.json, includes/occurrence.json, profiles/cloud.json,
//   events/findings/finding.json, events/findings/detection_finding.json,
//   objects/{metadata,product,feature,finding_info,analytic,cloud,account,resource_details,_resource,
//   _entity,remediation,compliance}.json, dictionary.json (types: timestamp_t is a long of milliseconds
//   since the epoch; string_t at most 65,535 characters).
// Objects are strict: an attribute OCSF does not define for an object is an error (other data goes
// in `unmapped`). Attributes OCSF defines that this export does not emit are allowed as unknown.
// The tests validate every record of the ocsf format against this schema, and this schema against
// the attribute lists of those files (ocsf-1.3.0-extract.json).

/** timestamp_t: milliseconds since the epoch, a whole number. */
const timestamp = z.number().int().nonnegative();
const string = z.string().max(65_535);
/** An integer enum of the schema: the ids it lists (0 Unknown and 99 Other come from the dictionary). */
const enumId = (ids: number[]) =>
  z
    .number()
    .int()
    .refine((n) => ids.includes(n), `one of ${ids.join(", ")}`);
const optional = z.unknown().optional();

// dictionary.json severity_id.
const SEVERITY_CAPTIONS: Record<number, string> = {
  0: "Unknown",
  1: "Informational",
  2: "Low",
  3: "Medium",
  4: "High",
  5: "Critical",
  6: "Fatal",
  99: "Other",
};
const SEVERITY_IDS = Object.keys(SEVERITY_CAPTIONS).map(Number);
// finding.json status_id (1 New, 2 In Progress, 3 Suppressed, 4 Resolved) with the dictionary's 0 and 99.
const FINDING_STATUS_CAPTIONS: Record<number, string> = {
  0: "Unknown",
  1: "New",
  2: "In Progress",
  3: "Suppressed",
  4: "Resolved",
  99: "Other",
};
const FINDING_STATUS_IDS = Object.keys(FINDING_STATUS_CAPTIONS).map(Number);
// finding.json activity_id (1 Create, 2 Update, 3 Close) with the dictionary's 0 and 99.
const ACTIVITY_IDS = [0, 1, 2, 3, 99];

const feature = z.strictObject({
  name: string.optional(),
  uid: string.optional(),
  version: string.optional(),
});

// objects/product.json: vendor_name required; _entity: name or uid.
const product = z
  .strictObject({
    vendor_name: string,
    name: string.optional(),
    uid: string.optional(),
    version: string.optional(),
    feature: feature.optional(),
    cpe_name: optional,
    lang: optional,
    path: optional,
    url_string: optional,
    data_classification: optional,
  })
  .refine((p) => p.name !== undefined || p.uid !== undefined, "product needs a name or a uid");

// objects/metadata.json: product and version required.
const metadata = z.strictObject({
  version: z.literal("1.3.0"),
  product,
  profiles: z.array(string).optional(),
  log_name: string.optional(),
  uid: string.optional(),
  correlation_uid: optional,
  event_code: optional,
  extension: optional,
  extensions: optional,
  labels: optional,
  log_level: optional,
  log_provider: optional,
  log_version: optional,
  logged_time: optional,
  modified_time: optional,
  loggers: optional,
  original_time: optional,
  processed_time: optional,
  sequence: optional,
  tenant_uid: optional,
  data_classification: optional,
});

// objects/analytic.json: type_id required (1 Rule ... 11, 99).
const analytic = z.strictObject({
  type_id: enumId([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 99]),
  type: string.optional(),
  uid: string.optional(),
  name: string.optional(),
  category: optional,
  desc: optional,
  related_analytics: optional,
  version: optional,
});

// objects/finding_info.json: title and uid required.
const findingInfo = z.strictObject({
  uid: string.min(1),
  title: string.min(1),
  desc: string.optional(),
  types: z.array(string).optional(),
  analytic: analytic.optional(),
  created_time: timestamp.optional(),
  first_seen_time: timestamp.optional(),
  last_seen_time: timestamp.optional(),
  modified_time: timestamp.optional(),
  attacks: optional,
  data_sources: optional,
  kill_chain: optional,
  product_uid: optional,
  related_events: optional,
  related_analytics: optional,
  src_url: optional,
});

// objects/account.json: type_id 10 is "AWS Account"; _entity: name or uid.
const account = z.strictObject({
  uid: string.optional(),
  name: string.optional(),
  type_id: enumId([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 99]).optional(),
  type: string.optional(),
  labels: optional,
});

// objects/cloud.json: provider required.
const cloud = z.strictObject({
  provider: string.min(1),
  region: string.optional(),
  account: account.optional(),
  org: optional,
  project_uid: optional,
  zone: optional,
});

// objects/resource_details.json extends _resource (labels: string array) and _entity (name or uid).
const resource = z
  .strictObject({
    uid: string.optional(),
    name: string.optional(),
    type: string.optional(),
    region: string.optional(),
    cloud_partition: string.optional(),
    labels: z.array(string).optional(),
    data: optional,
    agent_list: optional,
    criticality: optional,
    group: optional,
    namespace: optional,
    owner: optional,
    version: optional,
    data_classification: optional,
  })
  .refine((r) => r.name !== undefined || r.uid !== undefined, "a resource needs a name or a uid");

// objects/remediation.json: desc required.
const remediation = z.strictObject({
  desc: string.min(1),
  references: z.array(string).optional(),
  kb_articles: optional,
  kb_article_list: optional,
});

// Not an attribute of a Detection Finding: this export's `unmapped.compliance`, in the words of
// objects/compliance.json (standards required; status_id 1 Pass, 2 Warning, 3 Fail, 0 and 99).
const unmappedCompliance = z.strictObject({
  standards: z.array(string).min(1),
  requirements: z.array(string),
  status_id: enumId([0, 1, 2, 3, 99]),
  status: string,
});

export const ocsfDetectionFindingSchema = z
  .strictObject({
    // includes/classification.json: all four required; type_uid = class_uid * 100 + activity_id.
    activity_id: enumId(ACTIVITY_IDS),
    activity_name: string.optional(),
    category_uid: z.literal(2),
    category_name: z.literal("Findings").optional(),
    class_uid: z.literal(2004),
    class_name: z.literal("Detection Finding").optional(),
    type_uid: z.number().int(),
    type_name: string.optional(),
    // includes/occurrence.json: time required.
    time: timestamp,
    start_time: timestamp.optional(),
    end_time: timestamp.optional(),
    timezone_offset: optional,
    count: optional,
    duration: optional,
    // events/base_event.json.
    severity_id: enumId(SEVERITY_IDS),
    severity: string.optional(),
    status_id: enumId(FINDING_STATUS_IDS).optional(),
    status: string.optional(),
    status_code: string.optional(),
    status_detail: string.optional(),
    message: string.optional(),
    metadata,
    observables: optional,
    enrichments: optional,
    raw_data: optional,
    unmapped: z.looseObject({ compliance: unmappedCompliance.optional() }).optional(),
    // profiles/cloud.json: cloud required with the profile.
    cloud,
    api: optional,
    // events/findings/finding.json and detection_finding.json.
    finding_info: findingInfo,
    comment: optional,
    device: optional,
    confidence: optional,
    confidence_id: optional,
    confidence_score: optional,
    evidences: optional,
    impact: optional,
    impact_id: optional,
    impact_score: optional,
    remediation: remediation.optional(),
    resources: z.array(resource).optional(),
    risk_level: optional,
    risk_level_id: optional,
    risk_score: optional,
    risk_details: optional,
    vulnerabilities: optional,
  })
  .superRefine((event, ctx) => {
    if (event.type_uid !== event.class_uid * 100 + event.activity_id) {
      ctx.addIssue({ code: "custom", path: ["type_uid"], message: "must be class_uid * 100 + activity_id" });
    }
    // A caption is the id's; an id of 99 (Other) leaves the caption to the source.
    if (
      event.severity !== undefined &&
      event.severity_id !== 99 &&
      event.severity !== SEVERITY_CAPTIONS[event.severity_id]
    ) {
      ctx.addIssue({ code: "custom", path: ["severity"], message: "must be the caption of severity_id" });
    }
    if (
      event.status !== undefined &&
      event.status_id !== undefined &&
      event.status_id !== 99 &&
      event.status !== FINDING_STATUS_CAPTIONS[event.status_id]
    ) {
      ctx.addIssue({ code: "custom", path: ["status"], message: "must be the caption of status_id" });
    }
    if (!event.metadata.profiles?.includes("cloud")) {
      ctx.addIssue({
        code: "custom",
        path: ["metadata", "profiles"],
        message: "must name the cloud profile",
      });
    }
  });
