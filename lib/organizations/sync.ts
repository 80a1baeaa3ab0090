import {
  DescribeOrganizationCommand,
  paginateListAccounts,
  type Account as OrgAccount,
} from "@aws-sdk/client-organizations";
import { audit, type Actor } from "@/lib/audit/log";
import type {
  AwsAccount,
  Organization,
  OrgAccountStatus,
  Prisma,
  PrismaClient,
} from "@/lib/generated/prisma/client";
import { withExternalId } from "@/lib/collector/run-target";
import { organizationsClient, type AccountAccess } from "@/lib/kms/clients";
import { describeError } from "@/lib/kms/errors";
import { getEncrypter, recordContext } from "@/lib/secrets";
import { OuPathCache, type OuPath } from "./ou-paths";
import { managedBy, memberRoleArn } from "./member-role";
import { refreshAccountRegions, type RegionLists } from "./regions";
import { decryptOrgSecret, organizationAccess, OrganizationError, RELEASED } from "./service";
import { syncRunningMessage, withOrgSyncLock } from "./sync-lock";

// A sync reads the organization's accounts (ListAccounts, paginated) and, for each, its OU path
// (ListParents up to the root, each OU described once per sync) and, for the accounts scanned
// with "all enabled regions", its regions (lib/organizations/regions.ts). It works one page of
// ListAccounts at a time with a bounded number of accounts in flight, so memory holds a page and
// the set of ids seen, whatever the organization's size. Accounts that are no longer listed are
// marked LEFT only after a complete listing; nothing is ever deleted.

/** Accounts worked on at once (each: ListParents, then AssumeRole and ListRegions). */
const ACCOUNT_CONCURRENCY = 16;
/** Examples of per-account problems kept in the summary. */
const MAX_PROBLEMS = 5;

export interface SyncSummary {
  listed: number;
  added: number;
  updated: number;
  /** Listed accounts not ACTIVE (suspended, closing, closed): not scanned, data kept. */
  suspended: number;
  /** Accounts of this organization it no longer lists: marked, data kept. */
  left: number;
  /** Listed accounts outside the include OUs or inside an exclude OU: not scanned. */
  excluded: number;
  /** Accounts whose regions could not be discovered (ListRegions failed). */
  regionErrors: number;
  /** OUs described (one per OU, cached for the sync). */
  ousDescribed: number;
  durationMs: number;
  problems: string[];
}

export interface SyncResult {
  organizationId: string;
  name: string;
  ok: boolean;
  error?: string;
  /** Another sync of this organization was running: this one did nothing (error says so). */
  busy?: boolean;
  summary?: SyncSummary;
}

export interface SyncProgress {
  listed: number;
  done: number;
}

const ORG_STATUS: Record<string, OrgAccountStatus> = {
  ACTIVE: "ACTIVE",
  SUSPENDED: "SUSPENDED",
  PENDING_CLOSURE: "PENDING_CLOSURE",
  CLOSED: "CLOSED",
};

/** The account's state (State; Status before it existed); null for one not yet active (PENDING_ACTIVATION). */
function statusOf(a: OrgAccount): OrgAccountStatus | null {
  return ORG_STATUS[String(a.State ?? a.Status ?? "")] ?? null;
}

/** Why a new account whose OU is unknown (ListParents failed) waits, when OU rules decide what is scanned. */
const unplaced = (org: Pick<Organization, "name">) =>
  `Its OU could not be read (ListParents failed): not scanned until a sync places it under organization "${org.name}"'s OU rules.`;

/** Why an account is not scanned by its OU, or null. An exclude wins over an include. */
export function exclusionOf(org: Pick<Organization, "name" | "includeOus" | "excludeOus">, ouIds: string[]) {
  const excludedBy = ouIds.find((id) => org.excludeOus.includes(id));
  if (excludedBy) return `In ${excludedBy}, excluded by organization "${org.name}".`;
  if (org.includeOus.length && !ouIds.some((id) => org.includeOus.includes(id)))
    return `Not in an OU included by organization "${org.name}".`;
  return null;
}

interface SyncContext {
  db: PrismaClient;
  org: Organization;
  actor: Actor;
  memberExternalId: string | null;
  lists: RegionLists;
  summary: SyncSummary;
}

type SyncOptions = { actor: Actor; onProgress?: (p: SyncProgress) => void };

/**
 * Syncs one organization and records the outcome on it (summary, or the error) with an audit
 * entry. Never throws for AWS: a failed listing is the result's error, and no account is marked
 * as having left. One sync of an organization at a time (./sync-lock.ts): while another runs,
 * this one changes and records nothing and says so (`busy`).
 */
export async function syncOrganization(
  db: PrismaClient,
  organizationId: string,
  opts: SyncOptions,
): Promise<SyncResult> {
  const found = await db.organization.findUnique({ where: { id: organizationId } });
  if (!found) throw new OrganizationError(`Organization ${organizationId} is not configured.`);
  const outcome = await withOrgSyncLock(db, organizationId, async () => {
    // Read again under the lock: the organization as the sync that ran before left it.
    const org = await db.organization.findUnique({ where: { id: organizationId } });
    return org ? lockedSync(db, org, opts) : null;
  });
  if (outcome.busy)
    return { organizationId, name: found.name, ok: false, busy: true, error: syncRunningMessage(found.name) };
  if (!outcome.value) throw new OrganizationError(`Organization ${organizationId} is not configured.`);
  return outcome.value;
}

async function lockedSync(db: PrismaClient, org: Organization, opts: SyncOptions): Promise<SyncResult> {
  const started = Date.now();
  const summary: SyncSummary = {
    listed: 0,
    added: 0,
    updated: 0,
    suspended: 0,
    left: 0,
    excluded: 0,
    regionErrors: 0,
    ousDescribed: 0,
    durationMs: 0,
    problems: [],
  };
  let client: ReturnType<typeof organizationsClient> | undefined;
  let error: string | undefined;
  try {
    // Inside the try: a secret that no longer decrypts, or an endpoint no longer allowed, is this
    // sync's recorded error like any other.
    const ctx: SyncContext = {
      db,
      org,
      actor: opts.actor,
      memberExternalId: await decryptOrgSecret(org.id, "member_external_id", org.memberExternalIdCipher),
      lists: { allow: org.regionAllow, deny: org.regionDeny, owner: `organization "${org.name}"` },
      summary,
    };
    client = organizationsClient(await organizationAccess(org));
    const described = await client.send(new DescribeOrganizationCommand({}));
    const ous = await OuPathCache.load(client);
    const seen = new Set<string>();
    // One pool across pages: the next page is read while the last accounts of this one are worked on.
    const inFlight = new Set<Promise<void>>();
    let done = 0;
    let failure: unknown;
    try {
      for await (const page of paginateListAccounts({ client, pageSize: 20 }, {})) {
        // An account listed twice (pages that overlap) is worked on once.
        const accounts = (page.Accounts ?? []).filter(
          (a) => a.Id && /^\d{12}$/.test(a.Id) && !seen.has(a.Id),
        );
        for (const a of accounts) seen.add(a.Id!);
        summary.listed += accounts.length;
        opts.onProgress?.({ listed: summary.listed, done });
        // The page's accounts as stored, in one read.
        const stored = new Map(
          (await db.awsAccount.findMany({ where: { id: { in: accounts.map((a) => a.Id!) } } })).map((a) => [
            a.id,
            a,
          ]),
        );
        for (const a of accounts) {
          while (inFlight.size >= ACCOUNT_CONCURRENCY) await Promise.race(inFlight);
          if (failure) break;
          // Never rejects: a failure (the database's, say) ends the sync once the others are done.
          const work: Promise<void> = syncAccount(ctx, ous, a, stored.get(a.Id!) ?? null)
            .catch((err: unknown) => void (failure ??= err))
            .finally(() => {
              inFlight.delete(work);
              done++;
            });
          inFlight.add(work);
        }
        if (failure) break;
      }
    } finally {
      // A listing that fails mid-way leaves no account's work running past the sync and its lock.
      await Promise.all(inFlight);
    }
    if (failure) throw failure;
    opts.onProgress?.({ listed: summary.listed, done: summary.listed });
    summary.ousDescribed = ous.describes;
    summary.left = await markLeft(ctx, [...seen]);
    await db.organization.update({
      where: { id: org.id },
      data: {
        awsOrganizationId: described.Organization?.Id?.slice(0, 64) ?? null,
        managementAccountId: /^\d{12}$/.test(described.Organization?.MasterAccountId ?? "")
          ? described.Organization!.MasterAccountId!
          : org.managementAccountId,
      },
    });
  } catch (err) {
    error = describeError(err);
  } finally {
    client?.destroy();
  }
  summary.durationMs = Date.now() - started;
  await db.$transaction(async (tx) => {
    await tx.organization.update({
      where: { id: org.id },
      data: error
        ? { lastSyncAt: new Date(), lastSyncError: error }
        : { lastSyncAt: new Date(), lastSyncError: null, lastSyncSummary: { ...summary } },
    });
    await audit(tx, {
      ...opts.actor,
      action: "organization.sync",
      target: org.id,
      details: error ? { name: org.name, error } : { name: org.name, ...summary },
    });
  });
  return error
    ? { organizationId: org.id, name: org.name, ok: false, error }
    : { organizationId: org.id, name: org.name, ok: true, summary };
}

/**
 * The audit entry of one account's change by a sync, in the change's transaction: who ran the
 * sync, the organization, the account and what changed.
 */
function auditSync(
  tx: Prisma.TransactionClient,
  ctx: SyncContext,
  action: string,
  accountId: string,
  details: Record<string, unknown>,
) {
  return audit(tx, {
    ...ctx.actor,
    action,
    target: accountId,
    details: { organization: ctx.org.id, name: ctx.org.name, ...details },
  });
}

/** The fields a sync changes on an account, as they were and as they are now. */
function changedFields(before: AwsAccount, after: Record<string, unknown>) {
  const changed: Record<string, { from: unknown; to: unknown }> = {};
  for (const [field, to] of Object.entries(after)) {
    // The access's secret is never written to the log, only that it changed.
    if (field === "externalIdCipher") continue;
    const from = before[field as keyof AwsAccount];
    if (JSON.stringify(from ?? null) !== JSON.stringify(to ?? null)) changed[field] = { from, to };
  }
  return changed;
}

function problem(summary: SyncSummary, text: string) {
  if (summary.problems.length < MAX_PROBLEMS) summary.problems.push(text);
}

/**
 * One listed account (`existing`: as stored before the sync, or null): added or brought up to
 * date, then its regions discovered when it is scanned.
 */
async function syncAccount(
  ctx: SyncContext,
  ous: OuPathCache,
  a: OrgAccount,
  existing: AwsAccount | null,
): Promise<void> {
  const { db, org, summary } = ctx;
  const id = a.Id!;
  const status = statusOf(a);
  let path: OuPath | null = null;
  try {
    path = await ous.pathOf(id);
  } catch (err) {
    problem(summary, `${id}: ListParents failed: ${describeError(err)}`);
  }
  let access: AccountAccess | undefined;
  // Without its OU path, an account keeps the reason it had; a new one waits when OU rules apply.
  const excludedReason = path
    ? exclusionOf(org, path.ids)
    : existing
      ? existing.excludedReason
      : org.includeOus.length || org.excludeOus.length
        ? unplaced(org)
        : null;
  if (status && status !== "ACTIVE") summary.suspended++;
  if (excludedReason) summary.excluded++;
  const name = (a.Name ?? "").trim().slice(0, 100) || id;
  const email = a.Email?.slice(0, 254) ?? null;
  if (!existing) {
    if (status !== "ACTIVE") return; // only active accounts are added
    const member = await memberAccess(ctx, id);
    access = member.access;
    const data: Prisma.AwsAccountUncheckedCreateInput = {
      id,
      name,
      email,
      regions: [],
      regionMode: "ALL_ENABLED",
      organizationId: org.id,
      ouPath: path?.path ?? null,
      ouIds: path?.ids ?? [],
      orgStatus: status,
      orgStatusChangedAt: new Date(),
      excludedReason,
      isDemo: org.isDemo,
      ...member.stored,
    };
    await db.$transaction(async (tx) => {
      await tx.awsAccount.create({ data });
      await auditSync(tx, ctx, "organization.account_add", id, {
        status,
        ouPath: data.ouPath,
        excludedReason,
      });
    });
    summary.added++;
  } else {
    // An account another organization lists is left to it, unless it left that organization:
    // then it moved here, and this organization's member role reaches it from now on.
    const movedHere =
      !!existing.organizationId && existing.organizationId !== org.id && existing.orgStatus === "LEFT";
    if (existing.organizationId && existing.organizationId !== org.id && !movedHere) {
      problem(summary, `${id}: already listed by another organization; left as it is.`);
      return;
    }
    const moved = movedHere ? await memberAccess(ctx, id) : null;
    if (moved) access = moved.access;
    // An account added by hand is linked: it gains the OU path and status, and keeps its own
    // name, access and regions.
    const own = !!moved || (existing.organizationId === org.id && managedBy(org, existing));
    const nextStatus = status ?? existing.orgStatus;
    const changes = {
      organizationId: org.id,
      ...(own ? { name } : {}),
      ...(moved ? moved.stored : {}),
      email,
      ouPath: path?.path ?? existing.ouPath,
      ouIds: path?.ids ?? existing.ouIds,
      orgStatus: nextStatus,
      excludedReason,
    };
    const changed = changedFields(existing, changes);
    if (Object.keys(changed).length) {
      await db.$transaction(async (tx) => {
        await tx.awsAccount.update({
          where: { id },
          data: {
            ...changes,
            ...(existing.orgStatus !== nextStatus ? { orgStatusChangedAt: new Date() } : {}),
          },
        });
        await auditSync(tx, ctx, moved ? "organization.account_move" : "organization.account_update", id, {
          ...(moved ? { from: existing.organizationId } : {}),
          changed,
        });
      });
      summary.updated++;
    }
    if (existing.regionMode !== "ALL_ENABLED") return;
  }
  if (status !== "ACTIVE" || excludedReason) return;
  access ??= await withExternalId(existing!);
  const refreshed = await refreshAccountRegions(db, id, ctx.lists, access);
  if (refreshed.error) {
    summary.regionErrors++;
    problem(summary, `${id}: ${refreshed.error}`);
  }
}

/**
 * A new member account's access: the organization's member role (sandbox credentials for the
 * demo), as stored (the external id encrypted) and as the sync reaches the account.
 */
async function memberAccess(
  ctx: SyncContext,
  id: string,
): Promise<{ stored: MemberAccess; access: AccountAccess }> {
  const { org } = ctx;
  // The demo's members are fixed through the sandbox too (the demo keeps one account that is not).
  if (org.isDemo) {
    const stored = {
      accessMethod: "SANDBOX" as const,
      remediationMethod: "SANDBOX" as const,
      endpointUrl: org.endpointUrl,
    };
    return { stored, access: { id, ...stored } };
  }
  const externalIdCipher = ctx.memberExternalId
    ? await (
        await getEncrypter()
      ).encrypt(ctx.memberExternalId, recordContext("aws_accounts", id, "external_id"))
    : null;
  const stored = {
    accessMethod: "ROLE" as const,
    roleArn: memberRoleArn(org, id),
    endpointUrl: org.endpointUrl,
  };
  return {
    stored: { ...stored, externalIdCipher },
    access: { id, ...stored, externalId: ctx.memberExternalId },
  };
}

type MemberAccess = Pick<
  Prisma.AwsAccountUncheckedCreateInput,
  "accessMethod" | "remediationMethod" | "roleArn" | "externalIdCipher" | "endpointUrl"
>;

/**
 * Accounts of the organization it no longer lists: those it manages are marked LEFT (data kept);
 * those added by hand are unlinked and scanned as before. Returns how many are LEFT now.
 */
async function markLeft(ctx: SyncContext, seen: string[]): Promise<number> {
  const { db, org } = ctx;
  const gone = await db.$queryRaw<
    { id: string; access_method: string; role_arn: string | null; is_demo: boolean }[]
  >`
    SELECT id, access_method::text, role_arn, is_demo FROM aws_accounts
    WHERE organization_id = ${org.id} AND org_status IS DISTINCT FROM 'LEFT' AND NOT (id = ANY(${seen}::text[]))`;
  const managed = gone.filter((a) =>
    managedBy(org, { id: a.id, accessMethod: a.access_method, roleArn: a.role_arn, isDemo: a.is_demo }),
  );
  const byHand = gone.filter((a) => !managed.includes(a));
  if (managed.length)
    await db.$transaction(async (tx) => {
      await tx.awsAccount.updateMany({
        where: { id: { in: managed.map((a) => a.id) } },
        data: { orgStatus: "LEFT", orgStatusChangedAt: new Date() },
      });
      for (const a of managed) await auditSync(tx, ctx, "organization.account_left", a.id, {});
    });
  if (byHand.length)
    await db.$transaction(async (tx) => {
      await tx.awsAccount.updateMany({ where: { id: { in: byHand.map((a) => a.id) } }, data: RELEASED });
      for (const a of byHand) await auditSync(tx, ctx, "organization.account_unlink", a.id, {});
    });
  return db.awsAccount.count({ where: { organizationId: org.id, orgStatus: "LEFT" } });
}
