import { prisma } from "@/lib/db";
import { fetchComplianceMappings } from "@/lib/verdict/compliance-mappings";
import { KMS_KEY_ROTATION_INSIGHT } from "@/lib/verdict/compliance-status";
import { ComplianceTable } from "./compliance-table";

/** The frameworks this check maps to, as seeded from prisma/compliance/kms-key-rotation.json. */
export async function ComplianceMappings() {
  return <ComplianceTable rows={await fetchComplianceMappings(prisma, KMS_KEY_ROTATION_INSIGHT)} />;
}
