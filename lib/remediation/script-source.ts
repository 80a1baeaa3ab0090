import type pg from "pg";
import { accountIdInScope, type AccountScope } from "@/lib/auth/account-scope";
import { audit, type AuditEntry } from "@/lib/audit/log";
import { sweepExpiredExceptions } from "@/lib/exceptions/apply";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { toSearchParams } from "@/lib/insight-table/filters";
import { streamInsightRows } from "@/lib/insight-table/stream";
import { logger } from "@/lib/log";
import { getSettings } from "@/lib/settings";
import { fixScriptLines, type ScriptAccount, type ScriptKey } from "./commands";
import type { ScriptRequest } from "./script-request";

// The rows of the commands script, read from the database in the reader's account scope, and the
// script's lines with one audit entry when they end (as the CSV export is audited).

const BATCH = 500;

const KEY_FIELDS = {
  id: true,
  accountId: true,
  keyId: true,
  region: true,
  arn: true,
  keyState: true,
  keyManager: true,
  keySpec: true,
  origin: true,
  multiRegionType: true,
  primaryKeyArn: true,
  rotationEnabled: true,
  rotationPeriodDays: true,
  status: true,
  goneAt: true,
} as const;

/** The keys of a batch with their replicas' primaries, in the batch's order. */
async function withPrimaries(db: PrismaClient, keys: (ScriptKey & { id?: string })[]): Promise<ScriptKey[]> {
  const wanted = [
    ...new Set(
      keys.flatMap((k) => (k.multiRegionType === "REPLICA" && k.primaryKeyArn ? [k.primaryKeyArn] : [])),
    ),
  ];
  const primaries = wanted.length
    ? new Map(
        (await db.kmsKey.findMany({ where: { arn: { in: wanted } }, select: KEY_FIELDS })).map((p) => [
          p.arn,
          p,
        ]),
      )
    : new Map();
  return keys.map((k) => ({
    ...k,
    primary: k.primaryKeyArn ? (primaries.get(k.primaryKeyArn) ?? null) : null,
  }));
}

/** Every key the table's filters select, grouped by account, a batch at a time. */
async function* filteredKeys(
  db: PrismaClient,
  source: string | pg.Pool,
  request: Extract<ScriptRequest, { kind: "filter" }>,
  scope: AccountScope,
): AsyncGenerator<ScriptKey> {
  const byAccount = { ...request.filters, sort: { column: "accountId" as const, desc: false } };
  let ids: string[] = [];
  const flush = async () => {
    const rows = await db.kmsKey.findMany({ where: { id: { in: ids } }, select: KEY_FIELDS });
    const byId = new Map(rows.map((r) => [r.id, r]));
    const ordered = ids.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
    ids = [];
    return withPrimaries(db, ordered);
  };
  for await (const row of streamInsightRows(source, byAccount, scope)) {
    ids.push(row.id);
    if (ids.length >= BATCH) yield* await flush();
  }
  if (ids.length) yield* await flush();
}

/** The selected keys within the reader's scope, grouped by account; the others are reported missing. */
async function selectedKeys(
  db: PrismaClient,
  arns: string[],
  scope: AccountScope,
): Promise<{ keys: ScriptKey[]; missing: string[] }> {
  const rows = await db.kmsKey.findMany({
    where: { arn: { in: arns }, ...accountIdInScope(scope) },
    select: KEY_FIELDS,
    orderBy: [{ accountId: "asc" }, { region: "asc" }, { keyId: "asc" }],
  });
  const found = new Set(rows.map((r) => r.arn));
  return { keys: await withPrimaries(db, rows), missing: arns.filter((a) => !found.has(a)) };
}

/** The script's name, like the CSV export's: kms-key-rotation-fix-20261202-1245.sh */
export function scriptFileName(now: Date): string {
  return `kms-key-rotation-fix-${now.toISOString().slice(0, 16).replace(/[-:]/g, "").replace("T", "-")}.sh`;
}

/**
 * The script's lines for the request, in the reader's scope. When they end (finished, failed or
 * cancelled) one audit entry records what was asked and how many keys went out.
 */
export async function* auditedFixScript(
  db: PrismaClient,
  source: string | pg.Pool,
  request: ScriptRequest,
  scope: AccountScope,
  actor: Omit<AuditEntry, "action" | "details">,
  now = new Date(),
): AsyncGenerator<string, void, undefined> {
  await sweepExpiredExceptions(db);
  const settings = await getSettings(db);
  const accounts = new Map<string, ScriptAccount>(
    (
      await db.awsAccount.findMany({
        where: scope ? { id: { in: [...scope] } } : {},
        select: {
          id: true,
          name: true,
          remediationMethod: true,
          remediationProfile: true,
          remediationRoleArn: true,
        },
      })
    ).map((a) => [a.id, a]),
  );
  let keys = 0;
  let completed = false;
  const asked =
    request.kind === "filter"
      ? { selection: "filter", filters: toSearchParams(request.filters).toString() }
      : { selection: "keys", keys: request.arns.length };
  try {
    let rows: AsyncIterable<ScriptKey> | Iterable<ScriptKey>;
    let selection: string;
    const notes: string[] = [];
    if (request.kind === "filter") {
      rows = filteredKeys(db, source, request, scope);
      const filters = toSearchParams(request.filters).toString();
      selection = filters ? `the table's view ${filters}` : "every key of the table";
      notes.push(...request.notices);
    } else {
      const { keys: found, missing } = await selectedKeys(db, request.arns, scope);
      rows = found;
      selection = `${request.arns.length} selected key${request.arns.length === 1 ? "" : "s"}`;
      for (const arn of missing) notes.push(`skipped ${arn}: not a key of your accounts`);
    }
    const counted = async function* () {
      for await (const row of rows) {
        keys++;
        yield row;
      }
    };
    yield* fixScriptLines(counted(), {
      selection,
      generatedAt: now,
      maxRotationDays: settings["policy.maxRotationDays"],
      periodDays: request.periodDays,
      account: (id) => accounts.get(id),
      notes,
    });
    completed = true;
  } finally {
    const details = { ...asked, periodDays: request.periodDays, keys, completed };
    await audit(db, { ...actor, action: "export.fix_commands", details }).catch((err: unknown) =>
      logger.error({ err, details }, "could not write the audit entry of a commands script"),
    );
  }
}
