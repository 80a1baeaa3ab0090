import type { CsvColumn } from "@/lib/csv";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { logger } from "@/lib/log";
import { toAuditSearchParams, type AuditFilters } from "./filters";
import { audit, type AuditEntry } from "./log";
import { streamAuditRows, type AuditRow } from "./query";

export const AUDIT_EXPORT_PREFIX = "audit-log";
export const AUDIT_EXPORT_ACTION = "export.audit_csv";

export const AUDIT_CSV_COLUMNS: readonly CsvColumn<AuditRow>[] = [
  { header: "at", value: (r) => r.at.toISOString() },
  { header: "actor", value: (r) => r.actorEmail ?? "" },
  { header: "action", value: (r) => r.action },
  { header: "target", value: (r) => r.target ?? "" },
  { header: "details", value: (r) => JSON.stringify(r.details ?? {}) },
  { header: "ip", value: (r) => r.ip ?? "" },
];

/**
 * The rows of an audit log export (every page), counted as they go out. When the stream ends,
 * finished, failed or cancelled, the export itself is audited with its filters and row count.
 */
export async function* auditedAuditRows(
  db: PrismaClient,
  filters: AuditFilters,
  actor: Omit<AuditEntry, "action" | "details">,
): AsyncGenerator<AuditRow, void, undefined> {
  const selected = { ...filters, page: 1 };
  let rows = 0;
  let completed = false;
  try {
    for await (const row of streamAuditRows(db, selected)) {
      rows++;
      yield row;
    }
    completed = true;
  } finally {
    const details = { filters: toAuditSearchParams(selected).toString(), rows, completed };
    await audit(db, { ...actor, action: AUDIT_EXPORT_ACTION, details }).catch((err: unknown) =>
      logger.error({ err, details }, "could not write the audit entry of an audit log export"),
    );
  }
}
