import { fieldErrorsOf } from "@/lib/actions/form-values";
import { audit, SYSTEM, type Actor } from "@/lib/audit/log";
import type { Organization, Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { finalizeScan, SCANNED_ACCOUNTS } from "@/lib/collector/scan";
import type { AccountAccess } from "@/lib/kms/clients";
import { endpointRefusal } from "@/lib/kms/endpoints";
import { getEncrypter, recordContext } from "@/lib/secrets";
import { managedBy, memberRoleArn } from "./member-role";
import { changeDuringSyncMessage, lockOrgAgainstSync } from "./sync-lock";
import { organizationInputSchema, type OrganizationInput, type ParsedOrganization } from "./schema";

// Adding, changing and removing an organization; each change and its audit entry commit together.
// External ids (the management access's and the member role's) are stored encrypted, bound to the
// organization's row, and never shown back.

export class OrganizationError extends Error {
  constructor(
    message: string,
    readonly fieldErrors: Record<string, string[]> = {},
  ) {
    super(message);
  }
}

export function parseOrganization(input: OrganizationInput): ParsedOrganization {
  const parsed = organizationInputSchema.safeParse(input);
  if (!parsed.success) {
    const { issues } = parsed.error;
    throw new OrganizationError(issues.map((i) => i.message).join(" "), fieldErrorsOf(issues));
  }
  const refusal = parsed.data.endpointUrl ? endpointRefusal(parsed.data.endpointUrl) : null;
  if (refusal) throw new OrganizationError(refusal, { endpointUrl: [refusal] });
  return parsed.data;
}

type OrgSecret = "external_id" | "member_external_id";

async function encrypt(orgId: string, field: OrgSecret, value: string | undefined): Promise<string | null> {
  if (!value) return null;
  return (await getEncrypter()).encrypt(value, recordContext("organizations", orgId, field));
}

export async function decryptOrgSecret(orgId: string, field: OrgSecret, cipher: string | null) {
  if (!cipher) return null;
  return (await getEncrypter()).decrypt(cipher, recordContext("organizations", orgId, field));
}

/** What an organization's audit entries record: never an external id, only whether one is set. */
function details(o: Organization) {
  return {
    name: o.name,
    accessMethod: o.accessMethod,
    ...(o.roleArn ? { roleArn: o.roleArn } : {}),
    ...(o.profile ? { profile: o.profile } : {}),
    ...(o.externalIdCipher ? { externalId: "set" } : {}),
    memberRoleName: o.memberRoleName,
    ...(o.memberExternalIdCipher ? { memberExternalId: "set" } : {}),
    includeOus: o.includeOus,
    excludeOus: o.excludeOus,
    regionAllow: o.regionAllow,
    regionDeny: o.regionDeny,
  };
}

function columns(o: ParsedOrganization) {
  return {
    name: o.name,
    accessMethod: o.accessMethod,
    profile: o.accessMethod === "PROFILE" ? o.profile : null,
    roleArn: o.accessMethod === "ROLE" ? o.roleArn : null,
    endpointUrl: o.endpointUrl ?? null,
    memberRoleName: o.memberRoleName,
    includeOus: o.includeOus,
    excludeOus: o.excludeOus,
    regionAllow: o.regionAllow,
    regionDeny: o.regionDeny,
  };
}

export async function addOrganization(
  db: PrismaClient,
  input: OrganizationInput,
  actor: Actor = SYSTEM,
): Promise<Organization> {
  const o = parseOrganization(input);
  if (await db.organization.findFirst({ where: { name: o.name } }))
    throw new OrganizationError(`An organization named "${o.name}" is already configured.`, {
      name: ["This name is already used."],
    });
  const id = crypto.randomUUID();
  // Before the transaction: encrypting may call KMS.
  const externalIdCipher = o.accessMethod === "ROLE" ? await encrypt(id, "external_id", o.externalId) : null;
  const memberExternalIdCipher = await encrypt(id, "member_external_id", o.memberExternalId);
  return db.$transaction(async (tx) => {
    const org = await tx.organization.create({
      data: { id, ...columns(o), externalIdCipher, memberExternalIdCipher },
    });
    await audit(tx, { ...actor, action: "organization.create", target: org.id, details: details(org) });
    return org;
  });
}

export type OrganizationUpdate = OrganizationInput & {
  clearExternalId?: boolean;
  clearMemberExternalId?: boolean;
};

/**
 * Changes an organization. External ids left out keep the stored ones (the console never shows
 * them back); `clearExternalId` / `clearMemberExternalId` remove them. A new member role name or
 * member external id applies to the member accounts the organization manages (those reached
 * through its member role) as well as to the accounts it adds later; the changes, the accounts'
 * and the audit entry commit together.
 */
export async function updateOrganization(
  db: PrismaClient,
  id: string,
  input: OrganizationUpdate,
  actor: Actor = SYSTEM,
): Promise<Organization> {
  const before = await db.organization.findUnique({ where: { id } });
  if (!before) throw new OrganizationError(`Organization ${id} is not configured.`);
  if (before.isDemo) throw new OrganizationError("The demo organization cannot be changed.");
  const o = parseOrganization(input);
  if (await db.organization.findFirst({ where: { name: o.name, id: { not: id } } }))
    throw new OrganizationError(`An organization named "${o.name}" is already configured.`, {
      name: ["This name is already used."],
    });
  const role = o.accessMethod === "ROLE";
  // Before the transaction: encrypting may call KMS.
  const fresh = role && !input.clearExternalId ? await encrypt(id, "external_id", o.externalId) : null;
  const freshMember = input.clearMemberExternalId
    ? null
    : await encrypt(id, "member_external_id", o.memberExternalId);
  const members = await memberAccountChanges(db, before, o, input);
  return db.$transaction(async (tx) => {
    // A sync running now would add accounts with the member role it read before this change.
    if (!(await lockOrgAgainstSync(tx, id)))
      throw new OrganizationError(changeDuringSyncMessage(before.name, "changed"));
    const org = await tx.organization.update({
      where: { id },
      // A stored external id is written only when it changes: an edit that keeps it must not put
      // back the one it read if another admin replaced it meanwhile.
      data: {
        ...columns(o),
        ...(!role || input.clearExternalId
          ? { externalIdCipher: null }
          : fresh
            ? { externalIdCipher: fresh }
            : {}),
        ...(input.clearMemberExternalId
          ? { memberExternalIdCipher: null }
          : freshMember
            ? { memberExternalIdCipher: freshMember }
            : {}),
      },
    });
    for (const m of members)
      await tx.awsAccount.updateMany({
        where: { id: m.id, organizationId: id, roleArn: m.was },
        data: m.data,
      });
    await audit(tx, {
      ...actor,
      action: "organization.update",
      target: id,
      details: { ...details(org), ...(members.length ? { memberAccountsUpdated: members.length } : {}) },
    });
    return org;
  });
}

/**
 * The managed member accounts' new role ARN and external id when the member role name or its
 * external id changes (nothing otherwise). Each account's external id is encrypted for its row.
 */
async function memberAccountChanges(
  db: PrismaClient,
  before: Organization,
  o: ParsedOrganization,
  input: OrganizationUpdate,
) {
  const after = {
    roleArn: o.accessMethod === "ROLE" ? (o.roleArn ?? null) : null,
    memberRoleName: o.memberRoleName,
  };
  const newExternalId = !input.clearMemberExternalId && o.memberExternalId ? o.memberExternalId : null;
  const externalIdChanges = !!input.clearMemberExternalId || !!newExternalId;
  const accounts = await db.awsAccount.findMany({
    where: { organizationId: before.id, accessMethod: "ROLE" },
    select: { id: true, accessMethod: true, roleArn: true, isDemo: true },
  });
  const managed = accounts.filter((a) => managedBy(before, a));
  const changes = [];
  for (const a of managed) {
    const roleArn = memberRoleArn(after, a.id);
    if (roleArn === a.roleArn && !externalIdChanges) continue;
    const externalIdCipher = newExternalId
      ? await (
          await getEncrypter()
        ).encrypt(newExternalId, recordContext("aws_accounts", a.id, "external_id"))
      : null;
    changes.push({
      id: a.id,
      was: a.roleArn,
      data: { roleArn, ...(externalIdChanges ? { externalIdCipher } : {}) },
    });
  }
  return changes;
}

/**
 * An account no organization lists any more, as one added by hand: no organization, status, OU
 * path or OU rule (a sync's unlinked accounts, and the accounts kept when an organization goes).
 */
export const RELEASED = {
  organizationId: null,
  orgStatus: null,
  orgStatusChangedAt: null,
  ouPath: null,
  ouIds: [],
  excludedReason: null,
} satisfies Prisma.AwsAccountUncheckedUpdateManyInput;

/**
 * Removes an organization. `keepAccounts`: its accounts stay, as accounts added by hand (no
 * organization or OU path, their access and data kept; those it did not let us scan disabled);
 * otherwise they are removed with their keys' data.
 */
export async function removeOrganization(
  db: PrismaClient,
  id: string,
  opts: { keepAccounts: boolean },
  actor: Actor = SYSTEM,
): Promise<{ name: string; accounts: number }> {
  const running = opts.keepAccounts
    ? []
    : await db.scanTarget.findMany({
        where: { account: { organizationId: id }, status: { in: ["QUEUED", "RUNNING"] } },
        select: { scanId: true },
        distinct: ["scanId"],
      });
  const removed = await db.$transaction(async (tx) => {
    const org = await tx.organization.findUnique({ where: { id } });
    if (!org) throw new OrganizationError(`Organization ${id} is not configured.`);
    // A sync running now would add or update the accounts being removed or released.
    if (!(await lockOrgAgainstSync(tx, id)))
      throw new OrganizationError(changeDuringSyncMessage(org.name, "removed"));
    // Kept accounts the organization did not let us scan (suspended, closing, closed, left, or
    // excluded by an OU rule) are disabled: released, they would otherwise be scanned again.
    const disabled = opts.keepAccounts
      ? (
          await tx.awsAccount.findMany({
            where: { organizationId: id, enabled: true, NOT: SCANNED_ACCOUNTS },
            select: { id: true },
            orderBy: { id: "asc" },
          })
        ).map((a) => a.id)
      : [];
    if (disabled.length)
      await tx.awsAccount.updateMany({ where: { id: { in: disabled } }, data: { enabled: false } });
    const accounts = opts.keepAccounts
      ? (await tx.awsAccount.updateMany({ where: { organizationId: id }, data: RELEASED })).count
      : (await tx.awsAccount.deleteMany({ where: { organizationId: id } })).count;
    await tx.organization.delete({ where: { id } });
    await audit(tx, {
      ...actor,
      action: "organization.remove",
      target: id,
      details: { name: org.name, keepAccounts: opts.keepAccounts, accounts, disabled },
    });
    return { name: org.name, accounts };
  });
  // The removal deleted those accounts' targets: a scan waiting only on them is complete now.
  for (const { scanId } of running) await finalizeScan(db, scanId);
  return removed;
}

export async function listOrganizations(db: PrismaClient) {
  const orgs = await db.organization.findMany({ orderBy: [{ isDemo: "asc" }, { name: "asc" }] });
  const counts = await db.awsAccount.groupBy({
    by: ["organizationId", "orgStatus"],
    where: { organizationId: { in: orgs.map((o) => o.id) } },
    _count: { _all: true },
  });
  return orgs.map((o) => {
    const mine = counts.filter((c) => c.organizationId === o.id);
    const by = (status: string | null) =>
      mine.filter((c) => c.orgStatus === status).reduce((n, c) => n + c._count._all, 0);
    return {
      ...o,
      accountCount: mine.reduce((n, c) => n + c._count._all, 0),
      activeCount: by("ACTIVE"),
      leftCount: by("LEFT"),
    };
  });
}

/** The organization's own access (its management account or delegated administrator). */
export async function organizationAccess(org: Organization): Promise<AccountAccess> {
  return {
    // The demo organization's sandbox credentials are those of its management account.
    id: org.managementAccountId ?? "000000000000",
    accessMethod: org.isDemo ? "SANDBOX" : org.accessMethod,
    profile: org.profile,
    roleArn: org.roleArn,
    externalId: await decryptOrgSecret(org.id, "external_id", org.externalIdCipher),
    endpointUrl: org.endpointUrl,
  };
}

/** What the removal of organization `id` did, from its audit entry: the page's message after it. */
export async function removalMessage(db: PrismaClient, id: string): Promise<string | null> {
  const entry = await db.auditLog.findFirst({
    where: { action: "organization.remove", target: id },
    orderBy: { id: "desc" },
  });
  const d = entry?.details as { name?: unknown; keepAccounts?: unknown; accounts?: unknown } | undefined;
  if (typeof d?.name !== "string" || typeof d.accounts !== "number") return null;
  return d.keepAccounts
    ? `Removed organization ${d.name}; its ${d.accounts} account(s) stay as accounts added by hand.`
    : `Removed organization ${d.name} and its ${d.accounts} account(s) with their keys' data.`;
}
