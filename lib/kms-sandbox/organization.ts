// A generated AWS Organization over an estate's accounts: an OU tree several levels deep, the member
// role in most accounts, one suspended account, one that leaves, opt-in regions enabled in some.
import { isOptInRegion } from "./aws-regions";
import type {
  OrgAccountStatus,
  SandboxOrganization,
  SandboxOrgMember,
  SandboxOrgUnit,
  SandboxRole,
} from "./estate-types";
import { createRng, type Rng } from "./random";

export const MEMBER_ROLE_NAME = "KmsInsightsMember";
/** The ExternalId the member role requires unless `organization.memberRoleExternalId` says otherwise. */
export const MEMBER_ROLE_EXTERNAL_ID = "kms-insights-org";
const DEFAULT_OPT_IN = ["eu-south-1", "ap-east-1", "me-south-1"];

export interface OrganizationOptions {
  /** Organizational units in all (default 12). */
  ous?: number;
  /** Levels of OUs below the root (default 3, at most 5 as in AWS). */
  depth?: number;
  /** Members without the member role (default 5% of the members, at least 1). */
  withoutMemberRole?: number;
  /** Opt-in regions enabled in some accounts (default eu-south-1, ap-east-1, me-south-1 and the estate's own). */
  optInRegions?: string[];
  /** One member leaves after the first complete ListAccounts listing (default true). */
  leaver?: boolean;
  /** The 4th account is a delegated administrator (default true when there are 5 accounts or more). */
  delegatedAdministrator?: boolean;
  memberRoleExternalId?: string;
  /**
   * The first this many accounts (default 1: the management account) are ACTIVE, have the member
   * role and stay: the suspended account, the leaver and those without the role come after them.
   */
  steadyAccounts?: number;
}

/** What the organization adds to one account of the estate. */
export interface MemberExtras {
  memberRole?: SandboxRole;
  enabledOptInRegions: string[];
}

const TOP_LEVEL_NAMES = [
  "Workloads",
  "Security",
  "Infrastructure",
  "Sandbox",
  "Policy Staging",
  "Deployments",
  "Exceptions",
  "Transitional",
  "Business Continuity",
];
const NESTED_NAMES = ["Prod", "SDLC", "Test", "Shared", "Payments", "Data", "Web", "Platform"];

export function validateOrganizationOptions(options: OrganizationOptions, accounts: number): void {
  const { ous = 12, depth = 3, withoutMemberRole, optInRegions } = options;
  if (!Number.isInteger(ous) || ous < 0 || ous > 1000)
    throw new RangeError("organization.ous must be an integer from 0 to 1000");
  if (!Number.isInteger(depth) || depth < 1 || depth > 5)
    throw new RangeError("organization.depth must be an integer from 1 to 5");
  if (
    withoutMemberRole !== undefined &&
    (!Number.isInteger(withoutMemberRole) || withoutMemberRole < 0 || withoutMemberRole > accounts)
  )
    throw new RangeError("organization.withoutMemberRole must be an integer from 0 to the account count");
  const bad = optInRegions?.find((r) => !isOptInRegion(r));
  if (bad !== undefined) throw new RangeError(`not an opt-in region: ${JSON.stringify(bad)}`);
  const steady = options.steadyAccounts;
  if (steady !== undefined && (!Number.isInteger(steady) || steady < 0 || steady > accounts))
    throw new RangeError("organization.steadyAccounts must be an integer from 0 to the account count");
  const externalId = options.memberRoleExternalId;
  if (externalId !== undefined && !/^[\w+=,.@:/-]{2,1224}$/.test(externalId))
    throw new RangeError("organization.memberRoleExternalId must be 2 to 1224 characters of [\\w+=,.@:/-]");
}

const slug = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");

function siblingName(pool: readonly string[], index: number): string {
  const base = pool[index % pool.length]!;
  return index < pool.length ? base : `${base} ${Math.floor(index / pool.length) + 1}`;
}

function buildUnits(
  rng: Rng,
  ids: { org: string; root: string; arnPrefix: string },
  options: OrganizationOptions,
) {
  const count = options.ous ?? 12;
  const depth = options.depth ?? 3;
  const rootPart = ids.root.slice(2);
  const units: (SandboxOrgUnit & { level: number })[] = [];
  const siblings = new Map<string, number>();
  const usedIds = new Set<string>();
  const add = (parentId: string, level: number, parentPath: string) => {
    const index = siblings.get(parentId) ?? 0;
    siblings.set(parentId, index + 1);
    let id: string;
    do id = `ou-${rootPart}-${rng.hex(8)}`;
    while (usedIds.has(id));
    usedIds.add(id);
    units.push({
      id,
      arn: `${ids.arnPrefix}:ou/${ids.org}/${id}`,
      name: siblingName(level === 1 ? TOP_LEVEL_NAMES : NESTED_NAMES, index),
      parentId,
      path: `${parentPath}${id}/`,
      level,
    });
  };
  const rootPath = `${ids.org}/${ids.root}/`;
  // A chain down to the full depth first, then the rest under the root or any OU above the bottom.
  for (let level = 1; level <= Math.min(depth, count); level++) {
    const parent = units.at(-1);
    add(parent?.id ?? ids.root, level, parent?.path ?? rootPath);
  }
  while (units.length < count) {
    const open = units.filter((u) => u.level < depth);
    const parent = open.length === 0 || rng.chance(0.2) ? undefined : rng.pick(open);
    add(parent?.id ?? ids.root, (parent?.level ?? 0) + 1, parent?.path ?? rootPath);
  }
  return units;
}

/**
 * The organization over accounts (the first is the management account), the same for the same
 * seed, and what it adds to each account (member role, enabled opt-in regions), by index.
 */
export function generateOrganization(
  seed: string,
  accounts: readonly { id: string; name: string }[],
  options: OrganizationOptions,
  estateRegions: readonly string[],
  now: Date,
): { organization: SandboxOrganization; extras: MemberExtras[] } {
  validateOrganizationOptions(options, accounts.length);
  const rng = createRng(`${seed}/organization`);
  const management = accounts[0]!;
  const orgId = `o-${rng.hex(10)}`;
  const rootId = `r-${rng.hex(4)}`;
  const arnPrefix = `arn:aws:organizations::${management.id}`;
  const units = buildUnits(rng, { org: orgId, root: rootId, arnPrefix }, options);
  const n = accounts.length;
  const delegated = (options.delegatedAdministrator ?? true) && n >= 5 ? [accounts[3]!.id] : [];
  // Who lacks the role, who is suspended, who leaves: distinct members, neither the management
  // account nor the delegated administrator.
  const steady = Math.max(1, options.steadyAccounts ?? 1);
  const candidates = rng.sample(
    accounts.map((_, i) => i).filter((i) => i >= steady && !delegated.includes(accounts[i]!.id)),
    n,
  );
  const withoutRole = options.withoutMemberRole ?? Math.max(1, Math.round((n - 1) * 0.05));
  const noRole = new Set(candidates.splice(0, Math.min(1, withoutRole)));
  const suspended = candidates.shift();
  const leaver = options.leaver === false ? undefined : candidates.shift();
  const pendingClosure = n >= 10 ? candidates.shift() : undefined;
  for (const i of candidates.splice(0, Math.max(0, withoutRole - noRole.size))) noRole.add(i);

  const sixYears = 6 * 365 * 86_400_000;
  const founded = new Date(now.getTime() - sixYears);
  const members: SandboxOrgMember[] = accounts.map((account, i) => {
    const unit = i === 0 || units.length === 0 || rng.chance(0.1) ? undefined : rng.pick(units);
    const status: OrgAccountStatus =
      i === suspended ? "SUSPENDED" : i === pendingClosure ? "PENDING_CLOSURE" : "ACTIVE";
    return {
      accountId: account.id,
      parentId: unit?.id ?? rootId,
      arn: `${arnPrefix}:account/${orgId}/${account.id}`,
      email: `aws+${slug(account.name) || account.id}@example.com`,
      name: account.name,
      status,
      joinedMethod: i === 0 || rng.chance(0.8) ? "CREATED" : "INVITED",
      joinedTimestamp:
        i === 0 ? founded : new Date(founded.getTime() + rng.int(1, sixYears / 1000 - 86_400) * 1000),
    };
  });

  const externalId = options.memberRoleExternalId ?? MEMBER_ROLE_EXTERNAL_ID;
  const optIn = [
    ...new Set(options.optInRegions ?? [...estateRegions.filter(isOptInRegion), ...DEFAULT_OPT_IN]),
  ];
  const enabled: string[][] = accounts.map(() => []);
  for (const region of optIn) {
    const chosen = accounts.map((_, i) => i).filter(() => rng.chance(1 / 3));
    // Every listed region is enabled somewhere (in the second account when chance picked none).
    if (chosen.length === 0) chosen.push(Math.min(1, n - 1));
    for (const i of chosen) enabled[i]!.push(region);
  }
  const extras = accounts.map((account, i): MemberExtras => ({
    enabledOptInRegions: enabled[i]!,
    ...(noRole.has(i)
      ? {}
      : {
          memberRole: {
            roleName: MEMBER_ROLE_NAME,
            roleArn: `arn:aws:iam::${account.id}:role/${MEMBER_ROLE_NAME}`,
            externalId,
          },
        }),
  }));

  const organization: SandboxOrganization = {
    id: orgId,
    arn: `${arnPrefix}:organization/${orgId}`,
    managementAccountId: management.id,
    rootId,
    rootArn: `${arnPrefix}:root/${orgId}/${rootId}`,
    units: units.map(({ level: _level, ...unit }) => unit),
    members,
    delegatedAdministrators: delegated,
    memberRole: { roleName: MEMBER_ROLE_NAME, externalId },
    ...(leaver === undefined ? {} : { leaverId: accounts[leaver]!.id }),
  };
  return { organization, extras };
}
