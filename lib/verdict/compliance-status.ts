import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { AccountScope } from "@/lib/auth/account-scope";
import { controlStatus, type ControlStatus } from "./compliance";
import { fetchKeyCounts } from "@/lib/insight-table/key-counts";
import { failingOf, totalOf, type SeverityCounts } from "./severity-counts";

export const KMS_KEY_ROTATION_INSIGHT = "kms-key-rotation";

export interface FrameworkStatus {
  id: string;
  name: string;
  version: string | null;
  references: string[];
  link: string | null;
  /** "legacy": the source material's rows; "current": today's framework versions. */
  source: string;
  status: ControlStatus;
  /** Keys in scope, not gone, that are CRITICAL or WARNING. */
  affectedKeys: number;
}

export interface ComplianceStatus {
  frameworks: FrameworkStatus[];
  counts: SeverityCounts;
  evaluatedKeys: number;
}

/**
 * Every framework mapped to the key rotation check with its pass/fail. They all map the same
 * check, so they share one verdict over the user's keys: pass when none is CRITICAL or WARNING.
 */
export async function fetchComplianceStatus(
  db: PrismaClient,
  scope: AccountScope,
): Promise<ComplianceStatus> {
  const [mappings, { totals }] = await Promise.all([
    db.complianceMapping.findMany({
      where: { insight: KMS_KEY_ROTATION_INSIGHT },
      orderBy: [{ sortOrder: "asc" }, { id: "asc" }],
    }),
    fetchKeyCounts(db, scope),
  ]);
  const affectedKeys = failingOf(totals);
  const status: ControlStatus = controlStatus(totals);
  return {
    frameworks: mappings.map((m) => ({
      id: m.id,
      name: m.name,
      version: m.version,
      references: m.references,
      link: m.link,
      source: m.source,
      status,
      affectedKeys,
    })),
    counts: totals,
    evaluatedKeys: totalOf(totals),
  };
}
