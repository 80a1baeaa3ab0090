import { z } from "zod";
import { failingOf, type SeverityCounts } from "./severity-counts";

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

export type ControlStatus = "pass" | "fail";

/** A control passes for a set of keys when none of them fails it (CRITICAL or WARNING). */
export function controlStatus(severityCounts: Partial<SeverityCounts>): ControlStatus {
  return failingOf({ CRITICAL: 0, WARNING: 0, OK: 0, NOT_APPLICABLE: 0, ...severityCounts }) > 0
    ? "fail"
    : "pass";
}
