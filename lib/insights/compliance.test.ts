import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { controlStatus, parseComplianceMappings } from "./compliance";
import { loadComplianceMappings } from "./compliance-file";

/** The spec's two tables, one entry per row (CIS: one per benchmark version). */
const SPEC_ROWS = [
  {
    name: "PCI DSS",
    version: "v3.2.1",
    references: ["3.6.4", "3.6.5"],
    source: "legacy",
    link: "https://docs.aws.amazon.com/quickstart/latest/compliance-pci/welcome.html",
  },
  {
    name: "HIPAA",
    references: ["164.312(d)", "164.312(e)(1)"],
    source: "legacy",
    link: "https://aws.amazon.com/quickstart/architecture/compliance-hipaa/",
  },
  {
    name: "ISO 27001",
    version: "2013",
    references: ["A.12.4.1", "A.12.4.3"],
    source: "legacy",
    link: "https://www.iso.org/standard/54534.html",
  },
  {
    name: "NIST 800-53",
    references: ["SC-12", "SC-13", "SC-17", "SC-28"],
    source: "legacy",
    link: "https://docs.aws.amazon.com/quickstart/latest/compliance-nist/welcome.html",
  },
  {
    name: "GDPR",
    references: ["Article 30"],
    source: "legacy",
    link: "https://gdpr-info.eu/",
  },
  {
    name: "CIS AWS Foundations Benchmark",
    version: "v1.2.0",
    references: ["2.8"],
    source: "current",
  },
  {
    name: "CIS AWS Foundations Benchmark",
    version: "v1.4.0",
    references: ["3.8"],
    source: "current",
  },
  {
    name: "CIS AWS Foundations Benchmark",
    version: "v3.0.0",
    references: ["3.6"],
    source: "current",
  },
  {
    name: "CIS AWS Foundations Benchmark",
    version: "v5.0.0",
    references: ["3.6"],
    source: "current",
  },
  {
    name: "AWS Security Hub control",
    references: ["KMS.4"],
    source: "current",
  },
  {
    name: "PCI DSS",
    version: "v4.0.1",
    references: ["3.7.4"],
    source: "current",
  },
  {
    name: "NIST 800-53",
    version: "Rev. 5",
    references: ["SC-12", "SC-28(3)"],
    source: "current",
  },
  {
    name: "ISO/IEC 27001",
    version: "2022",
    references: ["A.8.24"],
    source: "current",
  },
];

describe("prisma/compliance/kms-key-rotation.json", () => {
  it("parses and holds exactly the spec's rows", async () => {
    const mappings = await loadComplianceMappings();
    expect(mappings.insight).toBe("kms-key-rotation");
    expect(mappings.frameworks).toHaveLength(SPEC_ROWS.length);
    for (const row of SPEC_ROWS) {
      expect(mappings.frameworks).toContainEqual(expect.objectContaining(row));
    }
  });

  it("keeps the corrected HIPAA citation, not the source's typo", async () => {
    const text = JSON.stringify(await loadComplianceMappings());
    expect(text).toContain("164.312(e)(1)");
    expect(text).not.toContain("(e)(i)");
  });

  it("gives every current framework a link", async () => {
    const { frameworks } = await loadComplianceMappings();
    const securityHub = frameworks.find((framework) => framework.references.includes("KMS.4"));
    expect(securityHub?.link).toBe(
      "https://docs.aws.amazon.com/securityhub/latest/userguide/kms-controls.html",
    );
    expect(frameworks.filter((framework) => !framework.link)).toEqual([]);
  });
});

describe("parseComplianceMappings / loadComplianceMappings errors", () => {
  const valid = {
    version: 1,
    insight: "kms-key-rotation",
    frameworks: [
      {
        id: "gdpr",
        name: "GDPR",
        version: "2016/679",
        references: ["Article 30"],
        source: "legacy",
      },
    ],
  };

  it("names the file and the JSON problem", () => {
    expect(() => parseComplianceMappings("{ nope", "x.json")).toThrow(
      /Compliance mappings file x\.json is not valid JSON/,
    );
  });

  it("names the file and the field that is wrong", () => {
    const broken = {
      ...valid,
      frameworks: [{ ...valid.frameworks[0], references: [], link: "not a url" }],
    };
    expect(() => parseComplianceMappings(JSON.stringify(broken), "x.json")).toThrow(
      /x\.json is invalid: frameworks\.0\.references: .*; frameworks\.0\.link: /,
    );
  });

  it("rejects duplicate ids and unknown file versions", () => {
    const duplicated = {
      ...valid,
      frameworks: [valid.frameworks[0], valid.frameworks[0]],
    };
    expect(() => parseComplianceMappings(JSON.stringify(duplicated), "x.json")).toThrow(
      /frameworks\.1\.id: duplicate id "gdpr"/,
    );
    expect(() => parseComplianceMappings(JSON.stringify({ ...valid, version: 2 }), "x.json")).toThrow(
      /version/,
    );
  });

  it("names a missing file", async () => {
    await expect(loadComplianceMappings("does/not/exist.json")).rejects.toThrow(
      /Cannot read compliance mappings file does\/not\/exist\.json/,
    );
  });

  it("loads a valid file from any path", async () => {
    const file = path.join(await mkdtemp(path.join(tmpdir(), "compliance-")), "mappings.json");
    await writeFile(file, JSON.stringify(valid));
    expect((await loadComplianceMappings(file)).frameworks[0]!.id).toBe("gdpr");
  });
});

describe("controlStatus", () => {
  it("passes with only OK and NOT_APPLICABLE keys, or none", () => {
    expect(controlStatus({ OK: 10, NOT_APPLICABLE: 3 })).toBe("pass");
    expect(controlStatus({})).toBe("pass");
    expect(controlStatus({ CRITICAL: 0, WARNING: 0, OK: 1 })).toBe("pass");
  });

  it("fails with any CRITICAL or WARNING key", () => {
    expect(controlStatus({ OK: 10, WARNING: 1 })).toBe("fail");
    expect(controlStatus({ CRITICAL: 1 })).toBe("fail");
  });
});
