import type { PrismaClient } from "@/lib/generated/prisma/client";
import { loadComplianceMappings } from "@/lib/verdict/compliance-file";

/**
 * Reference data kept as files in the repository, loaded at every start: the compliance mappings
 * (prisma/compliance/*.json). Rows no longer in the file are removed, so the table always equals
 * the file.
 */
export async function seedReferenceData(prisma: PrismaClient): Promise<void> {
  const mappings = await loadComplianceMappings();
  const rows = mappings.frameworks.map((f, i) => ({
    id: f.id,
    insight: mappings.insight,
    name: f.name,
    version: f.version,
    references: f.references,
    link: f.link ?? null,
    source: f.source,
    dataVersion: mappings.version,
    sortOrder: i,
  }));
  await prisma.$transaction([
    prisma.complianceMapping.deleteMany({
      where: { insight: mappings.insight, id: { notIn: rows.map((r) => r.id) } },
    }),
    ...rows.map((r) => prisma.complianceMapping.upsert({ where: { id: r.id }, create: r, update: r })),
  ]);
}
