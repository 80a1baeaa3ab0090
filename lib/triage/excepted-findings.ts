import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { AccountScope } from "@/lib/auth/account-scope";
import type { ExceptionKindName } from "@/lib/exceptions/schema";
import { inScope } from "@/lib/insight-table/predicates";
import type { Severity } from "@/lib/verdict/types";
import { exceptionKindFromEnum } from "./status";

/** The compliance page lists this many; the insight table (status=excepted) has them all. */
export const EXCEPTED_LIST_LIMIT = 50;

export interface ExceptedFinding {
  id: string;
  keyId: string;
  arn: string;
  accountId: string;
  region: string;
  aliases: string[];
  severity: Severity;
  exception: {
    id: string;
    kind: ExceptionKindName;
    justification: string;
    owner: string;
    expiresAt: Date;
  };
}

/**
 * Failing findings covered by an exception in force, for the auditor: the first
 * EXCEPTED_LIST_LIMIT in the order of the index kms_keys_live_status_idx (status, id), so that the
 * read stops after them however many keys are excepted.
 */
export async function fetchExceptedFindings(
  db: PrismaClient,
  scope: AccountScope,
  limit = EXCEPTED_LIST_LIMIT,
): Promise<ExceptedFinding[]> {
  const rows = await db.$queryRaw<
    {
      id: string;
      key_id: string;
      arn: string;
      account_id: string;
      region: string;
      aliases: string[];
      severity: Severity;
      x_id: string;
      kind: string;
      justification: string;
      owner_email: string;
      expires_at: Date;
    }[]
  >`
    SELECT k.id, k.key_id, k.arn, k.account_id::text AS account_id, k.region, k.aliases,
      k.severity::text AS severity, x.id AS x_id, x.kind::text AS kind, x.justification, x.owner_email,
      x.expires_at
    FROM kms_keys k JOIN exceptions x ON x.id = k.exception_id
    WHERE k.gone_at IS NULL AND k.status = 'EXCEPTED' AND ${inScope("k.account_id", scope)}
    ORDER BY k.id
    LIMIT ${limit}`;
  return rows.map((r) => ({
    id: r.id,
    keyId: r.key_id,
    arn: r.arn,
    accountId: r.account_id,
    region: r.region,
    aliases: r.aliases,
    severity: r.severity,
    exception: {
      id: r.x_id,
      kind: exceptionKindFromEnum(r.kind),
      justification: r.justification,
      owner: r.owner_email,
      expiresAt: r.expires_at,
    },
  }));
}
