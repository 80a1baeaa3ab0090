import type { InsightRow } from "@/lib/insight-table/columns";
import type { ComplianceMappings } from "@/lib/verdict/compliance";
import { type Remediation, remediationFor } from "@/lib/verdict/remediation";
import type { FindingContext } from "./context";

// What every finding format says the same way: the remediation, the compliance result and the
// controls. The tables of docs/finding-formats.md describe them.

/** What fixes the key; null when it passes or the check does not apply. */
export function remediationOf(
  row: Pick<InsightRow, "reason" | "keyId" | "region" | "primary">,
  ctx: FindingContext,
): Remediation | null {
  return remediationFor({
    reason: row.reason,
    keyId: row.keyId,
    region: row.region,
    maxRotationDays: ctx.maxRotationDays,
    primary: row.primary ?? null,
  });
}

/** The remediation as one text: the summary, then the commands, then the steps, a line each. */
export function remediationText(remediation: Remediation): string {
  return [remediation.summary, ...remediation.commands, ...remediation.steps].join("\n");
}

/**
 * The key's result for the mapped controls, as the compliance page counts it: a Critical or a
 * Warning fails them (an exception suppresses the finding, it does not make the key pass), OK
 * passes, and Not applicable has no result.
 */
export type ComplianceResult = "FAILED" | "PASSED" | "NOT_AVAILABLE";

export function complianceResult(row: Pick<InsightRow, "severity">): ComplianceResult {
  switch (row.severity) {
    case "CRITICAL":
    case "WARNING":
      return "FAILED";
    case "OK":
      return "PASSED";
    default:
      return "NOT_AVAILABLE";
  }
}

/** The mapped controls in the words of the formats, once per mappings file read. */
export interface MappedControls {
  /** "CIS AWS Foundations Benchmark v1.4.0", each once. */
  standards: string[];
  /** "CIS AWS Foundations Benchmark v1.4.0 3.8", every control of every framework. */
  requirements: string[];
}

const controlsCache = new WeakMap<ComplianceMappings, MappedControls>();

export function mappedControls(mappings: ComplianceMappings): MappedControls {
  let controls = controlsCache.get(mappings);
  if (!controls) {
    const standards = mappings.frameworks.map((framework) => `${framework.name} ${framework.version}`);
    controls = {
      standards: [...new Set(standards)],
      requirements: mappings.frameworks.flatMap((framework, i) =>
        framework.references.map((reference) => `${standards[i]} ${reference}`),
      ),
    };
    controlsCache.set(mappings, controls);
  }
  return controls;
}

/** The tags of a key as `key=value` strings (a tag with no value as `key=`). */
export function tagLabels(row: InsightRow): string[] {
  return row.tags.map((tag) => `${tag.key}=${tag.value}`);
}

export const isoOrNull = (date: Date | null): string | null => (date ? date.toISOString() : null);
