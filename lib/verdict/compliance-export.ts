import type { AuditEntry } from "@/lib/audit/log";
import { audit } from "@/lib/audit/log";
import type { AccountScope } from "@/lib/auth/account-scope";
import type { CsvColumn } from "@/lib/csv";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { logger } from "@/lib/log";
import { fetchComplianceShares, passingPercent, type AccountShare } from "./compliance-shares";
import { KMS_KEY_ROTATION_INSIGHT } from "./compliance-status";

export const COMPLIANCE_EXPORT_PREFIX = "compliance-by-account";
export const COMPLIANCE_EXPORT_ACTION = "export.compliance_csv";

export interface ComplianceCsvRow {
  account: AccountShare;
  framework: { id: string; name: string; version: string | null; references: string[] };
}

/** One row per account and framework: the share of the account's keys passing the framework's control. */
export const COMPLIANCE_CSV_COLUMNS: readonly CsvColumn<ComplianceCsvRow>[] = [
  { header: "account_id", value: (r) => r.account.id },
  { header: "account_name", value: (r) => r.account.name },
  { header: "framework_id", value: (r) => r.framework.id },
  { header: "framework", value: (r) => r.framework.name },
  { header: "framework_version", value: (r) => r.framework.version ?? "" },
  { header: "references", value: (r) => r.framework.references.join("; ") },
  { header: "applicable_keys", value: (r) => String(r.account.applicable) },
  { header: "passing_keys", value: (r) => String(r.account.passing) },
  { header: "failing_keys", value: (r) => String(r.account.failing) },
  { header: "excepted_keys", value: (r) => String(r.account.excepted) },
  { header: "passing_percent", value: (r) => String(passingPercent(r.account) ?? "") },
];

/**
 * The rows of the compliance CSV (every account in scope × every framework), counted as they go
 * out; when the stream ends, however it ends, one audit entry records the count.
 */
export async function* auditedComplianceRows(
  db: PrismaClient,
  scope: AccountScope,
  actor: Omit<AuditEntry, "action" | "details">,
): AsyncGenerator<ComplianceCsvRow, void, undefined> {
  let rows = 0;
  let completed = false;
  try {
    const [frameworks, shares] = await Promise.all([
      db.complianceMapping.findMany({
        where: { insight: KMS_KEY_ROTATION_INSIGHT },
        orderBy: [{ sortOrder: "asc" }, { id: "asc" }],
        select: { id: true, name: true, version: true, references: true },
      }),
      fetchComplianceShares(db, scope),
    ]);
    for (const account of shares.byAccount) {
      for (const framework of frameworks) {
        rows++;
        yield { account, framework };
      }
    }
    completed = true;
  } finally {
    const details = { rows, completed };
    await audit(db, { ...actor, action: COMPLIANCE_EXPORT_ACTION, details }).catch((err: unknown) =>
      logger.error({ err, details }, "could not write the audit entry of a compliance export"),
    );
  }
}
