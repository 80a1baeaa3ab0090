import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { AccountScope } from "@/lib/auth/account-scope";
import { controlStatus, type ControlStatus } from "./compliance";
import { fetchKeyCounts } from "@/lib/insight-table/key-counts";
import { fetchExceptedFindings, type ExceptedFinding } from "@/lib/triage/excepted-findings";
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
  /** Keys in scope, not gone, that are CRITICAL or WARNING and not excepted. */
  affectedKeys: number;
}

export interface ComplianceStatus {
  frameworks: FrameworkStatus[];
  /** Per severity, excepted findings left out. */
  counts: SeverityCounts;
  /** Every live key in scope, excepted ones included. */
  evaluatedKeys: number;
  /** Failing keys covered by an exception in force: apart from the failing figures. */
  excepted: number;
  /** The first of them (EXCEPTED_LIST_LIMIT), with their exception, for the auditor. */
  exceptedFindings: ExceptedFinding[];
}

/**
 * Every framework mapped to the key rotation check with its pass/fail. They all map the same
 * check, so they share one verdict over the user's keys: pass when none is CRITICAL or WARNING
 * without an exception. Excepted findings are shown apart, with their exceptions.
 */
export async function fetchComplianceStatus(
  db: PrismaClient,
  scope: AccountScope,
): Promise<ComplianceStatus> {
  const [mappings, { totals, excepted }] = await Promise.all([
    db.complianceMapping.findMany({
      where: { insight: KMS_KEY_ROTATION_INSIGHT },
      orderBy: [{ sortOrder: "asc" }, { id: "asc" }],
    }),
    fetchKeyCounts(db, scope),
  ]);
  // After the counts: fetchKeyCounts first ends the exceptions that have expired.
  const exceptedFindings = excepted > 0 ? await fetchExceptedFindings(db, scope) : [];
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
    evaluatedKeys: totalOf(totals) + excepted,
    excepted,
    exceptedFindings,
  };
}
