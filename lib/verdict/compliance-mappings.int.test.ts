import { expect, it } from "vitest";
import { seedReferenceData } from "@/lib/server/seed";
import { useFreshDatabase } from "@/test/db";
import { fetchComplianceMappings } from "./compliance-mappings";
import { KMS_KEY_ROTATION_INSIGHT } from "./compliance-status";

const db = useFreshDatabase();

it("lists the seeded frameworks in their order, and reads them once per process", async () => {
  await seedReferenceData(db.prisma);
  const seeded = await db.prisma.complianceMapping.findMany({
    where: { insight: KMS_KEY_ROTATION_INSIGHT },
    orderBy: { sortOrder: "asc" },
  });
  const rows = await fetchComplianceMappings(db.prisma, KMS_KEY_ROTATION_INSIGHT);
  expect(rows.map((r) => r.id)).toEqual(seeded.map((r) => r.id));
  expect(rows[0]).toEqual({
    id: seeded[0]!.id,
    name: seeded[0]!.name,
    version: seeded[0]!.version,
    references: seeded[0]!.references,
    link: seeded[0]!.link,
  });
  // Seeded at start and unchanged while the console runs: a second view does not read them again.
  await db.prisma.complianceMapping.deleteMany({});
  expect(await fetchComplianceMappings(db.prisma, KMS_KEY_ROTATION_INSIGHT)).toEqual(rows);
});
