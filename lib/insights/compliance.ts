import { readFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import type { Severity } from "./types";

export const COMPLIANCE_MAPPINGS_FILE = path.join("prisma", "compliance", "kms-key-rotation.json");

export const complianceFrameworkSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/, "must be lower-case letters, digits, '.' or '-'"),
  name: z.string().trim().min(1),
  version: z.string().trim().min(1),
  references: z.array(z.string().trim().min(1)).min(1),
  link: z.url({ protocol: /^https?$/ }).optional(),
  /** "legacy": the rows of the original source material; "current": today's framework versions. */
  source: z.enum(["legacy", "current"]),
});

export const complianceMappingsSchema = z
  .object({
    version: z.literal(1),
    insight: z.string().min(1),
    frameworks: z.array(complianceFrameworkSchema).min(1),
  })
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.frameworks.forEach((framework, index) => {
      if (seen.has(framework.id)) {
        ctx.addIssue({
          code: "custom",
          path: ["frameworks", index, "id"],
          message: `duplicate id "${framework.id}"`,
        });
      }
      seen.add(framework.id);
    });
  });

export type ComplianceFramework = z.infer<typeof complianceFrameworkSchema>;
export type ComplianceMappings = z.infer<typeof complianceMappingsSchema>;

/** Validates the file's text; `fileName` only names the file in the error. */
export function parseComplianceMappings(text: string, fileName: string): ComplianceMappings {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`Compliance mappings file ${fileName} is not valid JSON: ${(error as Error).message}`);
  }
  const result = complianceMappingsSchema.safeParse(json);
  if (!result.success) {
    const problems = result.error.issues
      .map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`)
      .join("; ");
    throw new Error(`Compliance mappings file ${fileName} is invalid: ${problems}`);
  }
  return result.data;
}

/**
 * Read at run time rather than imported, so that an operator can add a framework by editing the
 * file, without a rebuild. Relative paths resolve against the working directory (the app root).
 */
export async function loadComplianceMappings(
  file: string = COMPLIANCE_MAPPINGS_FILE,
): Promise<ComplianceMappings> {
  let text: string;
  try {
    text = await readFile(path.resolve(file), "utf8");
  } catch (error) {
    throw new Error(`Cannot read compliance mappings file ${file}: ${(error as Error).message}`);
  }
  return parseComplianceMappings(text, file);
}

export type ControlStatus = "pass" | "fail";

/** A control passes for a set of keys when none of them is CRITICAL or WARNING. */
export function controlStatus(severityCounts: Partial<Record<Severity, number>>): ControlStatus {
  return (severityCounts.CRITICAL ?? 0) + (severityCounts.WARNING ?? 0) > 0 ? "fail" : "pass";
}
