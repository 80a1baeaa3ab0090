import { z } from "zod";

// The AWS Security Finding Format as Security Hub's BatchImportFindings accepts it: the required
// top-level attributes, the value sets and the lengths of what this export emits, from the AWS
// Security Hub API reference (AwsSecurityFinding, Severity, Compliance, Workflow, Resource,
// Remediation, Recommendation) and the Security Hub user guide (Required top-level ASFF
// attributes; ASFF types taxonomy). Objects are strict: a misspelt attribute is an error, as
// BatchImportFindings reports it. The tests validate every record of the asff format against it.

/** A non-blank string (the API's pattern `.*\S.*`) of at most `max` characters. */
const text = (max: number) => z.string().min(1).max(max).regex(/\S/);
/** The API's timestamps: RFC 3339 with a Z or an offset, at most 9 fraction digits. */
const timestamp = z
  .string()
  .regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?(Z|[+-]\d\d(:?\d\d)?)$/, "an RFC 3339 timestamp");

/** Finding types are namespace/category/classifier; these are the namespaces ASFF defines. */
const TYPE_NAMESPACES = [
  "Software and Configuration Checks",
  "TTPs",
  "Effects",
  "Unusual Behaviors",
  "Sensitive Data Identifications",
];
const findingType = text(128).refine(
  (t) => TYPE_NAMESPACES.includes(t.split("/")[0]!) && t.split("/").length <= 3,
  "namespace/category/classifier with an ASFF namespace",
);

const severityLabel = z.enum(["INFORMATIONAL", "LOW", "MEDIUM", "HIGH", "CRITICAL"]);
const severity = z.strictObject({ Label: severityLabel, Original: text(64).optional() });

const resource = z.strictObject({
  Type: text(256),
  Id: text(512),
  Partition: z.enum(["aws", "aws-cn", "aws-us-gov"]).optional(),
  Region: text(16).optional(),
  Tags: z
    .record(z.string().min(1).max(128), z.string().max(256))
    .refine((tags) => Object.keys(tags).length <= 50, "at most 50 tags")
    .optional(),
  Details: z
    .strictObject({
      AwsKmsKey: z.strictObject({
        KeyId: text(512).optional(),
        KeyManager: text(512).optional(),
        KeyState: text(512).optional(),
        Origin: text(512).optional(),
        KeyRotationStatus: z.boolean().optional(),
      }),
    })
    .optional(),
});

export const asffFindingSchema = z.strictObject({
  // Required (asff-required-attributes).
  SchemaVersion: z.literal("2018-10-08"),
  Id: text(512),
  ProductArn: text(2048).regex(/^arn:aws(-cn|-us-gov)?:securityhub:[a-z0-9-]+:\d{12}:product\/[^/]+\/[^/]+$/),
  GeneratorId: text(512),
  AwsAccountId: z.string().regex(/^\d{12}$/),
  Types: z.array(findingType).min(1).max(50),
  CreatedAt: timestamp,
  UpdatedAt: timestamp,
  Severity: severity,
  Title: text(256),
  Description: text(1024),
  Resources: z.array(resource).min(1).max(32),
  // Optional, as emitted.
  ProductName: text(128).optional(),
  CompanyName: text(128).optional(),
  Region: text(16).optional(),
  FirstObservedAt: timestamp.optional(),
  LastObservedAt: timestamp.optional(),
  FindingProviderFields: z
    .strictObject({ Severity: severity.optional(), Types: z.array(findingType).max(50).optional() })
    .optional(),
  Remediation: z
    .strictObject({
      Recommendation: z.strictObject({ Text: text(512).optional(), Url: text(1024).optional() }),
    })
    .optional(),
  ProductFields: z
    .record(z.string().min(1).max(128), z.string().max(2048))
    .refine((fields) => Object.keys(fields).length <= 50, "at most 50 fields")
    .optional(),
  Compliance: z
    .strictObject({
      Status: z.enum(["PASSED", "WARNING", "FAILED", "NOT_AVAILABLE"]),
      RelatedRequirements: z.array(text(128)).max(32).optional(),
    })
    .optional(),
  Workflow: z.strictObject({ Status: z.enum(["NEW", "NOTIFIED", "RESOLVED", "SUPPRESSED"]) }).optional(),
  RecordState: z.enum(["ACTIVE", "ARCHIVED"]).optional(),
});

/** BatchImportFindings takes at most this many findings a call. */
export const ASFF_BATCH_SIZE = 100;
