import type pg from "pg";
import { audit, type AuditEntry } from "@/lib/audit/log";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { sweepExpiredExceptions } from "@/lib/exceptions/apply";
import { logger } from "@/lib/log";
import type { AccountScope } from "@/lib/auth/account-scope";
import type { FindingFormat } from "@/lib/findings-format/format-list";
import type { InsightRow } from "./columns";
import { exportFilters, type InsightFilters, toSearchParams } from "./filters";
import { rawBatchRows, type RawRowBatch, streamRawInsightBatches } from "./stream";

export const EXPORT_FILE_PREFIX = "kms-key-rotation";

/**
 * The rows of an export in any format (route and CLI alike), a batch at a time as pg reads them
 * (each format parses what it needs: FindingFormatSpec.chunks), counted as they go out. When the
 * stream ends (finished, failed or cancelled by the reader) one audit entry records the filters and
 * the count, as `export.csv`, `export.jsonl`, `export.ocsf` or `export.asff`.
 */
export async function* auditedExportBatches(
  db: PrismaClient,
  source: string | pg.Pool,
  filters: InsightFilters,
  scope: AccountScope,
  actor: Omit<AuditEntry, "action" | "details">,
  format: FindingFormat = "csv",
): AsyncGenerator<RawRowBatch, void, undefined> {
  const selected = exportFilters(filters);
  await sweepExpiredExceptions(db);
  let rows = 0;
  let completed = false;
  try {
    for await (const batch of streamRawInsightBatches(source, selected, scope)) {
      rows += batch.rows.length;
      yield batch;
    }
    completed = true;
  } finally {
    const details = { filters: toSearchParams(selected).toString(), rows, completed };
    // The export itself has succeeded or failed by now; a failed audit write must not change that.
    await audit(db, { ...actor, action: `export.${format}`, details }).catch((err: unknown) =>
      logger.error({ err, details }, `could not write the audit entry of a ${format} export`),
    );
  }
}

/** auditedExportBatches' rows one at a time, as InsightRows. */
export async function* auditedExportRows(
  ...args: Parameters<typeof auditedExportBatches>
): AsyncGenerator<InsightRow, void, undefined> {
  for await (const batch of auditedExportBatches(...args)) yield* rawBatchRows(batch);
}
