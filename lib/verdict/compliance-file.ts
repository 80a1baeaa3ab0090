import { readFile } from "node:fs/promises";
import path from "node:path";
import { type ComplianceMappings, parseComplianceMappings } from "./compliance";

// The mappings file's reader, apart from compliance.ts so that pages importing the rules and types
// do not pull file system access (and Next's whole-project file tracing) into their bundles.

export const COMPLIANCE_MAPPINGS_FILE = path.join("prisma", "compliance", "kms-key-rotation.json");

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
