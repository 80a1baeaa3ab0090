import { audit, type AuditEntry } from "@/lib/audit/log";
import type { AccountScope } from "@/lib/auth/account-scope";
import type { CsvColumn } from "@/lib/csv";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { logger } from "@/lib/log";
import type { CoverageFilters } from "./filters";
import { type CoverageRow, fetchCoverageRows } from "./query";

// The coverage page's rows as CSV: every account-region of the view (all pages), audited.

export const COVERAGE_EXPORT_PREFIX = "coverage";
export const COVERAGE_EXPORT_ACTION = "export.coverage_csv";

const iso = (d: Date | null) => (d ? d.toISOString() : "");

export const COVERAGE_CSV_COLUMNS: readonly CsvColumn<CoverageRow>[] = [
  { header: "account_id", value: (r) => r.accountId },
  { header: "account_name", value: (r) => r.accountName },
  { header: "ou_path", value: (r) => r.ouPath ?? "" },
  { header: "region", value: (r) => r.region },
  { header: "state", value: (r) => r.state },
  { header: "last_success_at", value: (r) => iso(r.lastSuccessAt) },
  { header: "last_attempt_at", value: (r) => iso(r.lastAttemptAt) },
  { header: "key_count", value: (r) => (r.keyCount === null ? "" : String(r.keyCount)) },
  { header: "error_call", value: (r) => r.errorCall ?? "" },
  { header: "error_code", value: (r) => r.errorCode ?? "" },
  { header: "error", value: (r) => r.error ?? "" },
  { header: "excluded", value: (r) => r.excluded ?? "" },
  { header: "fix", value: (r) => (r.fix ? `${r.fix.summary}\n${r.fix.statement}` : "") },
];

/** The rows of the view; when the stream ends, however it ends, one audit entry records the count. */
export async function* auditedCoverageRows(
  db: PrismaClient,
  filters: CoverageFilters,
  scope: AccountScope,
  actor: Omit<AuditEntry, "action" | "details">,
): AsyncGenerator<CoverageRow, void, undefined> {
  let rows = 0;
  let completed = false;
  try {
    for (const row of await fetchCoverageRows(db, filters, scope)) {
      rows++;
      yield row;
    }
    completed = true;
  } finally {
    const details = { rows, completed };
    await audit(db, { ...actor, action: COVERAGE_EXPORT_ACTION, details }).catch((err: unknown) =>
      logger.error({ err, details }, "could not write the audit entry of a coverage export"),
    );
  }
}
