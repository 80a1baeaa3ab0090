import { beforeAll, describe, expect, it } from "vitest";
import type { InsightRow } from "@/lib/insight-table/columns";
import { FINDING_STATUSES } from "@/lib/triage/status";
import { loadComplianceMappings } from "@/lib/verdict/compliance-file";
import { SEVERITIES } from "@/lib/verdict/types";
import { sampleRow } from "@/test/fixtures/sample-row";
import { asffRecord } from "./asff";
import type { FindingContext } from "./context";
import { findingUid } from "./finding-id";
import { exportFileName, FINDING_FORMAT_SPECS, parseFindingFormat } from "./formats";
import { jsonLinesChunks } from "./json-lines";
import { jsonlRecord } from "./jsonl";
import { ocsfRecord } from "./ocsf";
import { ASFF_BATCH_SIZE, asffFindingSchema } from "./schemas/asff";
import { ocsfDetectionFindingSchema } from "./schemas/ocsf-detection-finding";

let ctx: FindingContext;
beforeAll(async () => {
  ctx = { compliance: await loadComplianceMappings(), maxRotationDays: 365 };
});

const OK_ROW: InsightRow = {
  ...sampleRow,
  severity: "OK",
  reason: "ROTATION_ENABLED",
  rotationStatus: "enabled",
  rotationPeriodDays: 365,
  status: "passing",
  firstSeen: null,
  openForDays: null,
  due: null,
  overdue: false,
  tags: [],
};

const EXCEPTED_ROW: InsightRow = {
  ...sampleRow,
  status: "excepted",
  exception: {
    id: "exc-1",
    kind: "accepted-risk",
    justification: "Legacy HSM",
    owner: "o@example.com",
    expiresAt: new Date("2027-03-01T00:00:00Z"),
  },
};

/** Every severity with every status, with and without tags, aliases and a first failure. */
const VARIETY: InsightRow[] = SEVERITIES.flatMap((severity, i) =>
  FINDING_STATUSES.map((status, j) => ({
    ...(i % 2 ? OK_ROW : sampleRow),
    severity,
    status,
    reason: severity === "NOT_APPLICABLE" ? ("AWS_MANAGED" as const) : sampleRow.reason,
    aliases: j % 2 ? [] : sampleRow.aliases,
    exception: status === "excepted" ? EXCEPTED_ROW.exception : null,
  })),
);

describe("OCSF Detection Finding", () => {
  it("validates against the OCSF 1.3.0 schema for every severity and status", () => {
    for (const row of VARIETY) {
      const result = ocsfDetectionFindingSchema.safeParse(ocsfRecord(row, ctx));
      expect(result.error?.issues, `${row.severity} ${row.status}`).toBeUndefined();
    }
  });

  it("the schema refuses what OCSF does not allow", () => {
    const record = ocsfRecord(sampleRow, ctx);
    const bad = [
      { ...record, severity_id: 7 },
      { ...record, class_uid: 2001 },
      { ...record, time: new Date(0).toISOString() },
      { ...record, finding_info: { ...record.finding_info, uid: undefined } },
      { ...record, resources: [{ ...record.resources[0], tags: {} }] },
      { ...record, status: "Open" },
      { ...record, type_uid: 200402 },
    ];
    for (const event of bad) expect(ocsfDetectionFindingSchema.safeParse(event).success).toBe(false);
  });

  it.each([
    ["CRITICAL", 5, "Critical"],
    ["WARNING", 3, "Medium"],
    ["OK", 1, "Informational"],
    ["NOT_APPLICABLE", 1, "Informational"],
  ] as const)("maps %s to severity_id %d", (severity, id, name) => {
    const record = ocsfRecord({ ...sampleRow, severity }, ctx);
    expect([record.severity_id, record.severity]).toEqual([id, name]);
  });

  it.each([
    ["open", 1, "New", 1],
    ["excepted", 3, "Suppressed", 1],
    ["resolved", 4, "Resolved", 3],
    ["passing", 4, "Resolved", 3],
  ] as const)("maps status %s to status_id %d", (status, id, name, activity) => {
    const record = ocsfRecord({ ...sampleRow, status }, ctx);
    expect([record.status_id, record.status, record.activity_id, record.type_uid]).toEqual([
      id,
      name,
      activity,
      200400 + activity,
    ]);
  });

  it("carries the time in milliseconds, the key as the resource, the account and the remediation", () => {
    const record = ocsfRecord(sampleRow, ctx);
    expect(record.time).toBe(Date.parse("2026-11-30T08:15:00Z"));
    expect(record.metadata.version).toBe("1.3.0");
    expect(record.finding_info.first_seen_time).toBe(Date.parse("2026-10-01T08:15:00Z"));
    expect(record.resources).toEqual([
      {
        uid: sampleRow.arn,
        name: "alias/orders",
        type: "AWS::KMS::Key",
        region: "eu-west-1",
        cloud_partition: "aws",
        labels: ["team=payments", "env=prod"],
      },
    ]);
    expect(record.cloud).toEqual({
      provider: "AWS",
      region: "eu-west-1",
      account: { uid: "111122223333", name: "Production", type_id: 10, type: "AWS Account" },
    });
    expect(record.remediation?.desc).toBe(
      `Turn on automatic rotation.\naws kms enable-key-rotation --key-id ${sampleRow.keyId} --rotation-period-in-days 365 --region eu-west-1`,
    );
    expect(ocsfRecord(OK_ROW, ctx).remediation).toBeUndefined();
  });

  it("names the compliance mappings and the key's result for them", () => {
    const { compliance } = ocsfRecord(sampleRow, ctx).unmapped;
    expect(compliance.status_id).toBe(3);
    expect(compliance.standards).toContain("CIS AWS Foundations Benchmark v1.4.0");
    expect(compliance.requirements).toContain("CIS AWS Foundations Benchmark v1.4.0 3.8");
    expect(compliance.requirements).toContain("NIST 800-53 Rev. 4 SC-12");
    expect(ocsfRecord(OK_ROW, ctx).unmapped.compliance.status).toBe("Pass");
    expect(ocsfRecord({ ...OK_ROW, severity: "NOT_APPLICABLE" }, ctx).unmapped.compliance.status_id).toBe(99);
  });

  it("says why an excepted finding is suppressed", () => {
    expect(ocsfRecord(EXCEPTED_ROW, ctx).status_detail).toBe("Excepted: Legacy HSM");
  });
});

describe("ASFF", () => {
  it("validates against the ASFF schema for every severity and status, each under 240 KB", () => {
    for (const row of VARIETY) {
      const record = asffRecord(row, ctx);
      const result = asffFindingSchema.safeParse(record);
      expect(result.error?.issues, `${row.severity} ${row.status}`).toBeUndefined();
      expect(JSON.stringify(record).length).toBeLessThan(240 * 1024);
    }
  });

  it("the schema refuses what BatchImportFindings does not take", () => {
    const record = asffRecord(sampleRow, ctx);
    const bad = [
      { ...record, Severity: { Label: "SEVERE" } },
      { ...record, Workflow: { Status: "OPEN" } },
      { ...record, Compliance: { Status: "FAIL" } },
      { ...record, Types: ["KMS/Rotation"] },
      { ...record, Resources: [] },
      { ...record, Title: "x".repeat(257) },
      { ...record, CreatedAt: "30/11/2026" },
      { ...record, AwsAccountId: "1234" },
      Object.fromEntries(Object.entries(record).filter(([name]) => name !== "GeneratorId")),
    ];
    for (const finding of bad) expect(asffFindingSchema.safeParse(finding).success).toBe(false);
  });

  it.each([
    ["CRITICAL", "CRITICAL", "FAILED"],
    ["WARNING", "MEDIUM", "FAILED"],
    ["OK", "INFORMATIONAL", "PASSED"],
    ["NOT_APPLICABLE", "INFORMATIONAL", "NOT_AVAILABLE"],
  ] as const)("maps %s to Severity.Label %s and Compliance.Status %s", (severity, label, compliance) => {
    const record = asffRecord({ ...sampleRow, severity }, ctx);
    expect(record.Severity).toEqual({ Label: label, Original: severity });
    expect(record.Compliance.Status).toBe(compliance);
  });

  it.each([
    ["open", "NEW"],
    ["excepted", "SUPPRESSED"],
    ["resolved", "RESOLVED"],
    ["passing", "RESOLVED"],
  ] as const)("maps status %s to Workflow.Status %s", (status, workflow) => {
    expect(asffRecord({ ...sampleRow, status }, ctx).Workflow.Status).toBe(workflow);
  });

  it("names the product, the account, the key's ARN, region and tags, and the controls", () => {
    const record = asffRecord(sampleRow, ctx);
    expect(record.ProductArn).toBe("arn:aws:securityhub:eu-west-1:111122223333:product/111122223333/default");
    expect(record.AwsAccountId).toBe("111122223333");
    expect(record.CreatedAt).toBe("2026-10-01T08:15:00.000Z");
    expect(record.UpdatedAt).toBe("2026-11-30T08:15:00.000Z");
    expect(record.Resources[0]).toMatchObject({
      Type: "AwsKmsKey",
      Id: sampleRow.arn,
      Partition: "aws",
      Region: "eu-west-1",
      Tags: { team: "payments", env: "prod" },
    });
    expect(record.Compliance.RelatedRequirements).toContain("CIS AWS Foundations Benchmark v1.4.0 3.8");
    expect(record.Remediation?.Recommendation.Text).toMatch(/^Turn on automatic rotation\.\naws kms/);
  });

  it("keeps a GovCloud key in its partition, and cuts texts to ASFF's lengths", () => {
    const arn = "arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/k";
    const record = asffRecord(
      { ...sampleRow, arn, region: "us-gov-west-1", description: "d".repeat(2000) },
      ctx,
    );
    expect(record.ProductArn).toMatch(/^arn:aws-us-gov:securityhub:us-gov-west-1:/);
    expect(record.Description).toHaveLength(1024);
    expect(asffFindingSchema.safeParse(record).success).toBe(true);
  });

  it("batches of 100 are what BatchImportFindings takes", () => {
    expect(ASFF_BATCH_SIZE).toBe(100);
  });
});

describe("remediation of a multi-Region replica", () => {
  it("names the primary key, where rotation is set", () => {
    const primary = { arn: "arn:aws:kms:us-east-1:111122223333:key/mrk-1", region: "us-east-1" };
    const record = ocsfRecord({ ...sampleRow, keyId: "mrk-1", primary }, ctx);
    expect(record.remediation?.desc).toContain(
      `--key-id ${primary.arn} --rotation-period-in-days 365 --region us-east-1`,
    );
  });
});

describe("the stable finding id", () => {
  it("is the same in every format and export, and differs by key, region and account", () => {
    const id = findingUid(sampleRow);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(ocsfRecord({ ...sampleRow, status: "resolved", severity: "OK" }, ctx).finding_info.uid).toBe(id);
    expect(asffRecord(sampleRow, ctx).Id).toBe(id);
    expect(jsonlRecord(sampleRow, ctx).id).toBe(id);
    expect(findingUid({ ...sampleRow, arn: `${sampleRow.arn}x` })).not.toBe(id);
    expect(findingUid({ ...sampleRow, region: "eu-west-2" })).not.toBe(id);
    expect(findingUid({ ...sampleRow, accountId: "111122223334" })).not.toBe(id);
  });
});

describe("JSON Lines", () => {
  it("writes the row's values typed, with the exception, the remediation and the compliance result", () => {
    const record = jsonlRecord(EXCEPTED_ROW, ctx);
    expect(record).toMatchObject({
      severity: "CRITICAL",
      status: "excepted",
      lastEvaluated: "2026-11-30T08:15:00.000Z",
      openForDays: 60,
      tags: { team: "payments", env: "prod" },
      exception: { id: "exc-1", expiresAt: "2027-03-01T00:00:00.000Z" },
      remediation: { summary: "Turn on automatic rotation." },
      compliance: { result: "FAILED" },
    });
    expect(record.compliance.frameworks.length).toBe(ctx.compliance.frameworks.length);
  });

  it("is one object a line, line breaks in values escaped, read lazily", async () => {
    let pulled = 0;
    function* rows() {
      for (let i = 0; i < 5_000; i++) {
        pulled++;
        yield { ...sampleRow, description: `line\nbreak ${i}`, accountName: "\u2028" };
      }
    }
    const chunks = jsonLinesChunks(rows(), (row) => jsonlRecord(row, ctx));
    const first = await chunks.next();
    expect(pulled).toBeLessThanOrEqual(1_000);
    let text = new TextDecoder().decode(first.value as Uint8Array);
    for await (const chunk of chunks) text += new TextDecoder().decode(chunk);
    const lines = text.split("\n");
    expect(lines.pop()).toBe("");
    expect(lines).toHaveLength(5_000);
    expect(JSON.parse(lines[4_999]!).description).toBe("line\nbreak 4999");
  });
});

describe("the formats", () => {
  it("are chosen by name, any case, CSV by default; another name is refused with the list", () => {
    expect(parseFindingFormat(undefined)).toMatchObject({ ok: true, format: { id: "csv" } });
    expect(parseFindingFormat("OCSF")).toMatchObject({ ok: true, format: { id: "ocsf" } });
    expect(parseFindingFormat("xml")).toEqual({
      ok: false,
      message: 'Unknown format "xml": use csv, jsonl, ocsf, asff.',
    });
  });

  it("name their files by format", () => {
    const at = new Date("2026-11-30T12:00:00Z");
    expect(
      Object.values(FINDING_FORMAT_SPECS).map((format) => exportFileName("kms-key-rotation", format, at)),
    ).toEqual([
      "kms-key-rotation-2026-11-30.csv",
      "kms-key-rotation-2026-11-30.jsonl",
      "kms-key-rotation-2026-11-30.ocsf.jsonl",
      "kms-key-rotation-2026-11-30.asff.jsonl",
    ]);
  });
});
