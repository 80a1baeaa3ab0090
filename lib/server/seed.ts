import type { PrismaClient } from "@/lib/generated/prisma/client";

/** Reference data kept as files in the repository (compliance mappings), loaded at every start. */
export async function seedReferenceData(_prisma: PrismaClient): Promise<void> {
  // Filled in once lib/insights/compliance.ts lands.
}
