import { paginateListRegions } from "@aws-sdk/client-account";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { DEFAULT_ENABLED_REGIONS, isAwsRegion } from "@/lib/aws/regions";
import { accountAccess } from "@/lib/collector/run-target";
import { accountClient, type AccountAccess } from "@/lib/kms/clients";
import { describeError } from "@/lib/kms/errors";

// "All enabled regions": the Account API's ListRegions, called with the account's own scanning
// access (so the member role needs account:ListRegions, and no trusted access for the Account API
// is needed in the management account). The result rewrites `aws_accounts.regions` (what the
// collector scans) and records each region's opt-in status in `account_region_states`.

export const ENABLED_STATUSES = new Set(["ENABLED", "ENABLED_BY_DEFAULT"]);

export interface RegionLists {
  allow: string[];
  deny: string[];
  /** Who set the lists, for the excluded regions' reason: `organization "Acme"`. */
  owner: string;
}

export interface RegionStatus {
  region: string;
  status: string;
}

/** Every region the account's ListRegions names, with its opt-in status (paginated; unknown names dropped). */
export async function listAccountRegions(access: AccountAccess): Promise<RegionStatus[]> {
  const client = accountClient(access);
  try {
    const regions: RegionStatus[] = [];
    for await (const page of paginateListRegions({ client, pageSize: 50 }, {})) {
      for (const r of page.Regions ?? []) {
        // An answer is untrusted: only names of regions we know, with a status of bounded length.
        if (r.RegionName && isAwsRegion(r.RegionName))
          regions.push({ region: r.RegionName, status: String(r.RegionOptStatus ?? "UNKNOWN").slice(0, 32) });
      }
    }
    return regions;
  } finally {
    client.destroy();
  }
}

/** The regions to scan from the enabled ones, and why each enabled region left out is. */
export function applyRegionLists(enabled: string[], lists: RegionLists) {
  const scan: string[] = [];
  const excluded = new Map<string, string>();
  for (const region of [...new Set(enabled)].sort()) {
    if (lists.deny.includes(region)) excluded.set(region, `In the region deny-list of ${lists.owner}.`);
    else if (lists.allow.length && !lists.allow.includes(region))
      excluded.set(region, `Not in the region allow-list of ${lists.owner}.`);
    else scan.push(region);
  }
  return { scan, excluded };
}

export interface RegionRefresh {
  regions: string[];
  /**
   * Why discovery failed: the regions then stay as they were (the default-enabled ones for a new
   * account), less those the lists now leave out.
   */
  error?: string;
}

/**
 * Discovers an ALL_ENABLED account's regions and records them: each region's opt-in status (a
 * region that was scanned and is now disabled keeps its data, marked DISABLED), the deny- or
 * allow-listed ones' reason, and the regions to scan. On failure the account keeps its regions
 * (a new one with none gets the regions enabled by default) less those the lists leave out, so
 * its scan says what is wrong.
 * `access` is how to reach the account when the caller has it already (a sync); it is read otherwise.
 */
export async function refreshAccountRegions(
  db: PrismaClient,
  accountId: string,
  lists: RegionLists,
  access?: AccountAccess,
): Promise<RegionRefresh> {
  let statuses: RegionStatus[];
  try {
    const reach = access ?? (await accountAccess(db, accountId));
    if (!reach) throw new Error(`Account ${accountId} is not configured.`);
    statuses = await listAccountRegions(reach);
  } catch (err) {
    const error = `ListRegions failed: ${describeError(err)}`;
    const account = await db.awsAccount.findUnique({ where: { id: accountId }, select: { regions: true } });
    if (!account) return { regions: [], error };
    // The lists still apply to the regions it has: a region just deny-listed is not scanned
    // because discovery failed (a region the lists now allow waits for a discovery that works).
    const known = account.regions.length ? account.regions : DEFAULT_ENABLED_REGIONS;
    const { scan, excluded } = applyRegionLists(known, lists);
    if (scan.join() !== account.regions.join()) await recordListed(db, accountId, excluded, scan);
    return { regions: scan, error };
  }
  const enabled = statuses.filter((s) => ENABLED_STATUSES.has(s.status)).map((s) => s.region);
  const { scan, excluded } = applyRegionLists(enabled, lists);
  await recordRegions(db, accountId, statuses, excluded, scan);
  return { regions: scan };
}

/**
 * One statement: a row for each enabled region (its status, and why it is not scanned if so), the
 * status of the other regions the account already has a row for (scanned before: data kept), and
 * the regions to scan.
 */
async function recordRegions(
  db: PrismaClient,
  accountId: string,
  statuses: RegionStatus[],
  excluded: Map<string, string>,
  scan: string[],
): Promise<void> {
  const regions = statuses.map((s) => s.region);
  const status = statuses.map((s) => s.status);
  const enabled = statuses.map((s) => ENABLED_STATUSES.has(s.status));
  const reasons = statuses.map((s) => excluded.get(s.region) ?? null);
  await db.$executeRaw`
    WITH answer AS (
      SELECT * FROM unnest(${regions}::text[], ${status}::text[], ${enabled}::boolean[], ${reasons}::text[])
        AS a(region, status, enabled, reason)
    ), upserted AS (
      INSERT INTO account_region_states (account_id, region, opt_in_status, opt_in_checked_at, excluded_reason)
      SELECT ${accountId}, region, status, now(), reason FROM answer WHERE enabled
      ON CONFLICT (account_id, region) DO UPDATE SET opt_in_status = EXCLUDED.opt_in_status,
        opt_in_checked_at = EXCLUDED.opt_in_checked_at, excluded_reason = EXCLUDED.excluded_reason
    ), account AS (
      UPDATE aws_accounts SET regions = ${scan}::text[], updated_at = now() WHERE id = ${accountId}
    )
    UPDATE account_region_states s SET opt_in_status = a.status, opt_in_checked_at = now(), excluded_reason = NULL
    FROM answer a WHERE s.account_id = ${accountId} AND s.region = a.region AND NOT a.enabled`;
}

/** Without ListRegions' answer: the regions to scan, and why the others left out are (statuses untouched). */
async function recordListed(
  db: PrismaClient,
  accountId: string,
  excluded: Map<string, string>,
  scan: string[],
): Promise<void> {
  const regions = [...excluded.keys()];
  const reasons = [...excluded.values()];
  await db.$executeRaw`
    WITH upserted AS (
      INSERT INTO account_region_states (account_id, region, excluded_reason)
      SELECT ${accountId}, region, reason FROM unnest(${regions}::text[], ${reasons}::text[]) AS e(region, reason)
      ON CONFLICT (account_id, region) DO UPDATE SET excluded_reason = EXCLUDED.excluded_reason
    )
    UPDATE aws_accounts SET regions = ${scan}::text[], updated_at = now() WHERE id = ${accountId}`;
}

/** Discovers an ALL_ENABLED account's regions with its organization's lists (none for an account added by hand). */
export async function refreshRegionsOf(db: PrismaClient, accountId: string): Promise<RegionRefresh | null> {
  const account = await db.awsAccount.findUnique({
    where: { id: accountId },
    select: { regionMode: true, organization: true },
  });
  if (account?.regionMode !== "ALL_ENABLED") return null;
  const org = account.organization;
  return refreshAccountRegions(
    db,
    accountId,
    org
      ? { allow: org.regionAllow, deny: org.regionDeny, owner: `organization "${org.name}"` }
      : { allow: [], deny: [], owner: "this account" },
  );
}
