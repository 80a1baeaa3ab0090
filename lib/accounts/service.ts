import { fieldErrorsOf } from "@/lib/actions/form-values";
import { audit, SYSTEM, type Actor, type AuditEntry } from "@/lib/audit/log";
import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import { finalizeScan } from "@/lib/collector/scan";
import { endpointRefusal } from "@/lib/kms/endpoints";
import { getEncrypter, recordContext } from "@/lib/secrets";
import { accountInputSchema, type AccountInput } from "./schema";

export class AccountError extends Error {
  constructor(
    message: string,
    readonly fieldErrors: Record<string, string[]> = {},
  ) {
    super(message);
  }
}

export function parseAccount(input: AccountInput) {
  const parsed = accountInputSchema.safeParse(input);
  if (!parsed.success) {
    const { issues } = parsed.error;
    throw new AccountError(issues.map((i) => i.message).join(" "), fieldErrorsOf(issues));
  }
  // Checked here, on the server, where the operator's list is (lib/kms/clients.ts checks again).
  const refusal = parsed.data.endpointUrl ? endpointRefusal(parsed.data.endpointUrl) : null;
  if (refusal) throw new AccountError(refusal, { endpointUrl: [refusal] });
  return parsed.data;
}

type ExternalIdColumn = "external_id" | "remediation_external_id";

async function encryptExternalId(
  accountId: string,
  externalId: string | undefined,
  column: ExternalIdColumn = "external_id",
): Promise<string | null> {
  if (!externalId) return null;
  return (await getEncrypter()).encrypt(externalId, recordContext("aws_accounts", accountId, column));
}

/** What the audit entry of a saved account records (never an external id, only whether one is set). */
function accountDetails(a: {
  name: string;
  regions: string[];
  regionMode: string;
  accessMethod: string;
  enabled: boolean;
  remediationMethod: string | null;
  remediationRoleArn: string | null;
  remediationProfile: string | null;
  remediationExternalIdCipher: string | null;
}) {
  return {
    name: a.name,
    regions: a.regionMode === "ALL_ENABLED" ? "all enabled" : a.regions,
    accessMethod: a.accessMethod,
    enabled: a.enabled,
    remediationMethod: a.remediationMethod ?? "NONE",
    ...(a.remediationRoleArn ? { remediationRoleArn: a.remediationRoleArn } : {}),
    ...(a.remediationProfile ? { remediationProfile: a.remediationProfile } : {}),
    ...(a.remediationExternalIdCipher ? { remediationExternalId: "set" } : {}),
  };
}

const isUniqueViolation = (err: unknown) =>
  err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002";

/** Adds an account; the account and its audit entry commit together or not at all. */
export async function addAccount(db: PrismaClient, input: AccountInput, actor: Actor = SYSTEM) {
  const a = parseAccount(input);
  const taken = () =>
    new AccountError(`Account ${a.id} is already configured.`, {
      id: ["This account is already configured."],
    });
  if (await db.awsAccount.findUnique({ where: { id: a.id } })) throw taken();
  // Before the transaction: encrypting may call KMS.
  const externalIdCipher = await encryptExternalId(a.id, a.externalId);
  const remediationCipher = await encryptExternalId(a.id, a.remediationExternalId, "remediation_external_id");
  try {
    return await db.$transaction(async (tx) => {
      const account = await tx.awsAccount.create({
        data: { id: a.id, ...accountColumns(a, externalIdCipher, remediationCipher) },
      });
      await audit(tx, {
        ...actor,
        action: "account.create",
        target: account.id,
        details: accountDetails(account),
      });
      return account;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw taken(); // added by someone else meanwhile
    throw err;
  }
}

/** The stored columns of a valid account: only the fields of its access methods are kept. */
function accountColumns(
  a: ReturnType<typeof parseAccount>,
  externalIdCipher: string | null,
  remediationExternalIdCipher: string | null,
) {
  const fix = a.remediationMethod;
  return {
    name: a.name,
    regions: a.regionMode === "ALL_ENABLED" ? [] : a.regions,
    regionMode: a.regionMode,
    accessMethod: a.accessMethod,
    profile: a.accessMethod === "PROFILE" ? a.profile : null,
    roleArn: a.accessMethod === "ROLE" ? a.roleArn : null,
    externalIdCipher,
    endpointUrl: a.endpointUrl ?? null,
    enabled: a.enabled,
    remediationMethod: fix === "NONE" ? null : fix,
    remediationProfile: fix === "PROFILE" ? a.remediationProfile : null,
    remediationRoleArn: fix === "ROLE" ? a.remediationRoleArn : null,
    remediationExternalIdCipher,
  };
}

/** The stored cipher after an update: kept when left out, replaced, or cleared (also by leaving ROLE). */
function nextCipher(stored: string | null, role: boolean, clear: boolean | undefined, fresh: string | null) {
  if (!role || clear) return null;
  return fresh ?? stored;
}

/**
 * Updates an account. An external id left out keeps the stored one (the console never shows it
 * back); `clearExternalId` removes it. The same for the remediation access's external id.
 */
export async function updateAccount(
  db: PrismaClient,
  input: AccountInput & { clearExternalId?: boolean; clearRemediationExternalId?: boolean },
  actor: Actor = SYSTEM,
) {
  const a = parseAccount(input);
  const role = a.accessMethod === "ROLE";
  const fixRole = a.remediationMethod === "ROLE";
  const fresh = role && !input.clearExternalId ? await encryptExternalId(a.id, a.externalId) : null;
  const freshFix =
    fixRole && !input.clearRemediationExternalId
      ? await encryptExternalId(a.id, a.remediationExternalId, "remediation_external_id")
      : null;
  return db.$transaction(async (tx) => {
    const existing = await tx.awsAccount.findUnique({ where: { id: a.id } });
    if (!existing) throw new AccountError(`Account ${a.id} is not configured.`);
    const columns = accountColumns(
      a,
      nextCipher(existing.externalIdCipher, role, input.clearExternalId, fresh),
      nextCipher(existing.remediationExternalIdCipher, fixRole, input.clearRemediationExternalId, freshFix),
    );
    const account = await tx.awsAccount.update({
      where: { id: a.id },
      // Discovered regions stay until the next discovery (the caller runs one after saving).
      data: { ...columns, regions: a.regionMode === "ALL_ENABLED" ? existing.regions : columns.regions },
    });
    await audit(tx, {
      ...actor,
      action: "account.update",
      target: account.id,
      details: accountDetails(account),
    });
    return account;
  });
}

export async function setAccountEnabled(
  db: PrismaClient,
  id: string,
  enabled: boolean,
  actor: Actor = SYSTEM,
) {
  await db.$transaction(async (tx) => {
    const { count } = await tx.awsAccount.updateMany({ where: { id }, data: { enabled } });
    if (!count) throw new AccountError(`Account ${id} is not configured.`);
    await audit(tx, { ...actor, action: enabled ? "account.enable" : "account.disable", target: id });
  });
}

/**
 * Removes an account and, with it, its keys, their history and the scope rows naming it (cascade).
 * Returns the scoped viewers left with no account: they now see nothing (users.scoped keeps them
 * scoped), until an admin gives them accounts again.
 */
export async function removeAccount(
  db: PrismaClient,
  id: string,
  by: Omit<AuditEntry, "action" | "target">,
): Promise<{ viewersLeftWithNone: string[] }> {
  const running = await db.scanTarget.findMany({
    where: { accountId: id, status: { in: ["QUEUED", "RUNNING"] } },
    select: { scanId: true },
    distinct: ["scanId"],
  });
  const removed = await db.$transaction(async (tx) => {
    // The viewers' rows first, as setAccountScope does: two removals or a removal and a scope
    // change take turns, so the count below sees what the other one committed.
    const viewers = await tx.$queryRaw<{ id: string }[]>`
      SELECT u.id FROM users u JOIN user_account_scopes s ON s.user_id = u.id AND s.account_id = ${id}
      ORDER BY u.id FOR UPDATE OF u`;
    const { count } = await tx.awsAccount.deleteMany({ where: { id } });
    if (!count) throw new AccountError(`Account ${id} is not configured.`);
    const left = await tx.user.findMany({
      where: { id: { in: viewers.map((v) => v.id) }, scoped: true, accountScopes: { none: {} } },
      select: { email: true },
      orderBy: { email: "asc" },
    });
    const viewersLeftWithNone = left.map((u) => u.email);
    await audit(tx, {
      ...by,
      action: "account.remove",
      target: id,
      details: { ...by.details, ...(viewersLeftWithNone.length ? { viewersLeftWithNone } : {}) },
    });
    return { viewersLeftWithNone };
  });
  // The removal deleted the account's targets: a scan waiting only on them is complete now.
  for (const { scanId } of running) await finalizeScan(db, scanId);
  return removed;
}

/** The message after a removal: who now sees no account. */
export function removedMessage(id: string, viewersLeftWithNone: string[]): string {
  const none = viewersLeftWithNone.length
    ? ` ${viewersLeftWithNone.join(", ")} now ${viewersLeftWithNone.length === 1 ? "sees" : "see"} no account: ` +
      "give them accounts on the Users page."
    : "";
  return `Removed account ${id} and its stored keys.${none}`;
}

export async function listAccounts(db: PrismaClient) {
  return db.awsAccount.findMany({
    orderBy: [{ isDemo: "asc" }, { name: "asc" }],
    include: { organization: { select: { name: true } } },
  });
}
