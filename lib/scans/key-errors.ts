import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import type { AccountScope } from "@/lib/auth/account-scope";

/** How many keys with read errors each account-region of a scan lists by name. */
export const KEY_ERRORS_LISTED = 5;

export interface KeyWithError {
  /** The key's row id: its page is keyHref(id). */
  id: string;
  keyId: string;
  alias: string | null;
  error: string;
}

/** The map key of an account-region of a scan. */
export const targetKey = (scanId: string, accountId: string, region: string) =>
  `${scanId}/${accountId}/${region}`;

/**
 * The keys each account-region of these scans read with errors, as far as the keys still say so:
 * a key keeps the errors of the last scan that saw it, so an older scan's keys may have moved on.
 * At most KEY_ERRORS_LISTED per account-region, in scope, ordered by key id.
 */
export async function fetchKeysWithErrors(
  db: PrismaClient,
  scanIds: string[],
  scope: AccountScope,
): Promise<Map<string, KeyWithError[]>> {
  const found = new Map<string, KeyWithError[]>();
  if (scanIds.length === 0 || (scope && scope.length === 0)) return found;
  const inScope = scope ? Prisma.sql`AND k.account_id = ANY(${[...scope]}::char(12)[])` : Prisma.empty;
  const rows = await db.$queryRaw<(KeyWithError & { scanId: string; accountId: string; region: string })[]>`
    SELECT id, "keyId", alias, error, "scanId", "accountId", region FROM (
      SELECT k.id, k.key_id AS "keyId", k.aliases[1] AS alias, k.collect_error AS error,
        k.last_scan_id AS "scanId", k.account_id AS "accountId", k.region,
        row_number() OVER (PARTITION BY k.last_scan_id, k.account_id, k.region ORDER BY k.key_id) AS n
      FROM kms_keys k
      WHERE k.last_scan_id = ANY(${scanIds}::text[]) AND k.collect_error IS NOT NULL
        AND k.gone_at IS NULL ${inScope}
    ) listed
    WHERE n <= ${KEY_ERRORS_LISTED}
    ORDER BY "keyId"`;
  for (const { scanId, accountId, region, ...key } of rows) {
    const at = targetKey(scanId, accountId.trim(), region);
    found.set(at, [...(found.get(at) ?? []), key]);
  }
  return found;
}
