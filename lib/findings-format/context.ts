import type { PrismaClient } from "@/lib/generated/prisma/client";
import { getSettings } from "@/lib/settings";
import type { ComplianceMappings } from "@/lib/verdict/compliance";
import { loadComplianceMappings } from "@/lib/verdict/compliance-file";

/** What a finding format needs besides the row: read once per export, not per row. */
export interface FindingContext {
  /** The insight's compliance mappings (prisma/compliance/kms-key-rotation.json). */
  compliance: ComplianceMappings;
  /** The policy's longest rotation period, which the remediation's commands name. */
  maxRotationDays: number;
}

export async function loadFindingContext(db: PrismaClient): Promise<FindingContext> {
  const [settings, compliance] = await Promise.all([getSettings(db), loadComplianceMappings()]);
  return { compliance, maxRotationDays: settings["policy.maxRotationDays"] };
}
