import { audit, SYSTEM, type Actor } from "@/lib/audit/log";
import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
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
    const fieldErrors: Record<string, string[]> = {};
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? "form");
      (fieldErrors[key] ??= []).push(issue.message);
    }
    throw new AccountError(parsed.error.issues.map((i) => i.message).join(" "), fieldErrors);
  }
  return parsed.data;
}

async function encryptExternalId(accountId: string, externalId: string | undefined): Promise<string | null> {
  if (!externalId) return null;
  return (await getEncrypter()).encrypt(externalId, recordContext("aws_accounts", accountId, "external_id"));
}

type Tx = Prisma.TransactionClient;

/** What the audit entry of a saved account records (never the external id). */
function accountDetails(a: { name: string; regions: string[]; accessMethod: string; enabled: boolean }) {
  return { name: a.name, regions: a.regions, accessMethod: a.accessMethod, enabled: a.enabled };
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
  try {
    return await db.$transaction(async (tx) => {
      const account = await tx.awsAccount.create({
        data: {
          id: a.id,
          name: a.name,
          regions: a.regions,
          accessMethod: a.accessMethod,
          profile: a.accessMethod === "PROFILE" ? a.profile : null,
          roleArn: a.accessMethod === "ROLE" ? a.roleArn : null,
          externalIdCipher,
          endpointUrl: a.endpointUrl ?? null,
          enabled: a.enabled,
        },
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

/**
 * Updates an account. An external id left out keeps the stored one (the console never shows it
 * back); `clearExternalId` removes it.
 */
export async function updateAccount(
  db: PrismaClient,
  input: AccountInput & { clearExternalId?: boolean },
  actor: Actor = SYSTEM,
) {
  const a = parseAccount(input);
  const replacing = a.accessMethod === "ROLE" && !input.clearExternalId && a.externalId;
  const fresh = replacing ? await encryptExternalId(a.id, a.externalId) : null;
  return db.$transaction(async (tx) => {
    const existing = await tx.awsAccount.findUnique({ where: { id: a.id } });
    if (!existing) throw new AccountError(`Account ${a.id} is not configured.`);
    let externalIdCipher = existing.externalIdCipher;
    if (a.accessMethod !== "ROLE" || input.clearExternalId) externalIdCipher = null;
    else if (replacing) externalIdCipher = fresh;
    const account = await tx.awsAccount.update({
      where: { id: a.id },
      data: {
        name: a.name,
        regions: a.regions,
        accessMethod: a.accessMethod,
        profile: a.accessMethod === "PROFILE" ? a.profile : null,
        roleArn: a.accessMethod === "ROLE" ? a.roleArn : null,
        externalIdCipher,
        endpointUrl: a.endpointUrl ?? null,
        enabled: a.enabled,
      },
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
 * Removes an account and, with it, its keys and their history (cascade). Refused while it is the
 * only account a scoped viewer may see: with no scope row left, that viewer would see every account.
 */
export async function removeAccount(db: PrismaClient, id: string, actor: Actor = SYSTEM) {
  await db.$transaction(async (tx) => {
    await refuseStranding(tx, id);
    const { count } = await tx.awsAccount.deleteMany({ where: { id } });
    if (!count) throw new AccountError(`Account ${id} is not configured.`);
    await audit(tx, { ...actor, action: "account.remove", target: id });
  });
}

async function refuseStranding(tx: Tx, id: string) {
  const stranded = await tx.$queryRaw<{ email: string }[]>`
    SELECT u.email FROM users u
    WHERE EXISTS (SELECT 1 FROM user_account_scopes s WHERE s.user_id = u.id AND s.account_id = ${id})
      AND NOT EXISTS (SELECT 1 FROM user_account_scopes s WHERE s.user_id = u.id AND s.account_id <> ${id})
    ORDER BY u.email`;
  if (stranded.length) {
    throw new AccountError(
      `Account ${id} is the only account ${stranded.map((u) => u.email).join(", ")} may see. ` +
        "Change their account scope on the Users page first.",
    );
  }
}

export async function listAccounts(db: PrismaClient) {
  return db.awsAccount.findMany({ orderBy: [{ isDemo: "asc" }, { name: "asc" }] });
}
