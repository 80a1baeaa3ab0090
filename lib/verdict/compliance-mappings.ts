import type { PrismaClient } from "@/lib/generated/prisma/client";

/** A framework the check maps to, as the insight page lists it. */
export interface ComplianceMappingRow {
  id: string;
  name: string;
  version: string | null;
  references: string[];
  link: string | null;
}

// The mappings are seeded when the console starts (lib/server/seed.ts) and do not change while it
// runs: each process reads them once per database and insight, not on every page view.
const cache = new WeakMap<object, Map<string, Promise<ComplianceMappingRow[]>>>();

/** The frameworks an insight maps to, in their order; read once per process. */
export function fetchComplianceMappings(db: PrismaClient, insight: string): Promise<ComplianceMappingRow[]> {
  let byInsight = cache.get(db);
  if (!byInsight) cache.set(db, (byInsight = new Map()));
  let rows = byInsight.get(insight);
  if (!rows) {
    rows = db.complianceMapping.findMany({
      where: { insight },
      orderBy: { sortOrder: "asc" },
      select: { id: true, name: true, version: true, references: true, link: true },
    });
    // A failed read is tried again on the next view.
    rows.catch(() => byInsight.delete(insight));
    byInsight.set(insight, rows);
  }
  return rows;
}
