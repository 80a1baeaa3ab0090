import type {
  Estate,
  RegionEstate,
  SandboxAccount,
  SandboxAlias,
  SandboxKey,
  SandboxRole,
} from "./estate-types";
import {
  AWS_SERVICES,
  aliasArn,
  buildAlias,
  buildKey,
  buildReplica,
  type RegionContext,
} from "./key-factory";
import { awsManagedPlan, fillerPlan, planRegion } from "./key-scenarios";
import { generateOrganization, type MemberExtras, type OrganizationOptions } from "./organization";
import { createRng, type Rng } from "./random";
import { isOptInRegion } from "./aws-regions";

export * from "./estate-types";
export { fullCoverageKeysPerRegion } from "./key-scenarios";
export { MEMBER_ROLE_EXTERNAL_ID, MEMBER_ROLE_NAME, type OrganizationOptions } from "./organization";

export interface GenerateEstateOptions {
  accounts: number;
  regions: string[];
  keysPerRegion: number;
  seed: string | number;
  /** Reference time for ages and rotation dates. Default: today 00:00 UTC (so a day's runs agree). */
  now?: Date;
  /** Prefix for account names, e.g. "Demo " gives "Demo Production". */
  accountNamePrefix?: string;
  /**
   * An AWS Organization over the accounts (the first is its management account), served by the
   * Organizations and Account APIs. Accounts then have keys only in the opt-in regions they enabled.
   */
  organization?: OrganizationOptions;
}

const ACCOUNT_NAMES = [
  "Production",
  "Staging",
  "Shared Services",
  "Security Tooling",
  "Log Archive",
  "Data Platform",
  "Development",
  "Payments PCI",
  "Networking",
  "Analytics",
  "Disaster Recovery",
  "Identity",
  "Marketing Web",
  "ML Research",
  "Sandbox",
];
const REGION_PATTERN = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;

function startOfUtcDay(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
}

function validate(options: GenerateEstateOptions): void {
  const { accounts, regions, keysPerRegion } = options;
  if (!Number.isInteger(accounts) || accounts < 1 || accounts > 1000)
    throw new RangeError("accounts must be an integer from 1 to 1000");
  if (!Number.isInteger(keysPerRegion) || keysPerRegion < 0 || keysPerRegion > 10_000)
    throw new RangeError("keysPerRegion must be an integer from 0 to 10000");
  if (regions.length === 0) throw new RangeError("at least one region is needed");
  const bad = regions.find((r) => !REGION_PATTERN.test(r));
  if (bad !== undefined) throw new RangeError(`not a region name: ${JSON.stringify(bad)}`);
  if (new Set(regions).size !== regions.length) throw new RangeError("regions must not repeat");
}

function accountIds(rng: Rng, count: number): string[] {
  const ids = new Set<string>();
  while (ids.size < count) {
    // The second account starts with 0: account ids are strings, never numbers.
    const first = ids.size === 1 ? "0" : String(rng.int(1, 9));
    ids.add(first + String(rng.int(0, 99_999_999_999)).padStart(11, "0"));
  }
  return [...ids];
}

/** Most accounts have a role with an ExternalId; every 5th from the 2nd has none; every 5th from the 4th no role. */
function roleFor(rng: Rng, accountId: string, index: number): SandboxRole | undefined {
  if (index % 5 === 3) return undefined;
  const path = index % 5 === 4 ? "security-audit/" : "";
  const roleName = "KmsInsightsReadOnly";
  const role: SandboxRole = { roleName, roleArn: `arn:aws:iam::${accountId}:role/${path}${roleName}` };
  if (index % 5 !== 1) role.externalId = `kmsi-${rng.hex(24)}`;
  return role;
}

/** The write role beside the read-only one: same ExternalId rule (and value), no path. */
function remediationRoleFor(accountId: string, readOnly: SandboxRole): SandboxRole {
  const roleName = "KmsInsightsRemediation";
  const role: SandboxRole = {
    roleName,
    roleArn: `arn:aws:iam::${accountId}:role/${roleName}`,
    canWrite: true,
  };
  if (readOnly.externalId !== undefined) role.externalId = readOnly.externalId;
  return role;
}

function generateRegion(
  ctx: RegionContext,
  keysPerRegion: number,
  regionCount: number,
): { region: RegionEstate; primaries: SandboxKey[] } {
  const { required, fillerCount } = planRegion(keysPerRegion, regionCount);
  const keys = required.map((plan) => buildKey(ctx, awsManagedPlan(ctx, plan)));
  for (let i = 0; i < fillerCount; i++) keys.push(buildKey(ctx, fillerPlan(ctx)));
  const primaries = keys.filter(
    (k) => k.metadata.MultiRegionConfiguration === undefined && k.metadata.MultiRegion,
  );
  for (const primary of primaries) {
    const self = { Arn: primary.metadata.Arn, Region: ctx.region };
    primary.metadata.MultiRegionConfiguration = {
      MultiRegionKeyType: "PRIMARY",
      PrimaryKey: self,
      ReplicaKeys: [],
    };
  }
  return { region: { keys, aliases: [] }, primaries };
}

function finishAliases(ctx: RegionContext, region: RegionEstate): void {
  const aliases: SandboxAlias[] = region.keys.flatMap((key) =>
    key.aliasNames.map((name) => buildAlias(ctx, name, key)),
  );
  // Predefined AWS aliases whose service has not created its key yet: no TargetKeyId, no dates.
  const unused = Object.keys(AWS_SERVICES).filter((s) => !ctx.usedAwsServices.has(s));
  for (const service of ctx.rng.sample(unused, 3)) {
    const name = `alias/aws/${service}`;
    aliases.push({ AliasName: name, AliasArn: aliasArn(ctx.region, ctx.accountId, name) });
  }
  region.aliases = aliases.sort((a, b) => (a.AliasName < b.AliasName ? -1 : 1));
  region.keys = ctx.rng.sample(region.keys, region.keys.length);
}

export function generateEstate(options: GenerateEstateOptions): Estate {
  validate(options);
  const seed = String(options.seed);
  const now = options.now ?? startOfUtcDay(new Date());
  const rng = createRng(`${seed}/accounts`);
  const ids = accountIds(rng, options.accounts);
  const prefix = options.accountNamePrefix ?? "";

  const names = ids.map((id, index) => ({
    id,
    name: `${prefix}${ACCOUNT_NAMES[index] ?? `Workload ${index + 1}`}`,
  }));
  const org = options.organization
    ? generateOrganization(seed, names, options.organization, options.regions, now)
    : undefined;

  const accounts: SandboxAccount[] = names.map(({ id, name }, index) => {
    const account: SandboxAccount = { id, name, regions: {} };
    const role = roleFor(rng, id, index);
    if (role) {
      account.role = role;
      account.remediationRole = remediationRoleFor(id, role);
    }
    const extras: MemberExtras | undefined = org?.extras[index];
    if (extras?.memberRole) account.memberRole = extras.memberRole;
    if (extras) account.enabledOptInRegions = extras.enabledOptInRegions;
    // A disabled opt-in region has no keys (and answers as AWS does, see requestCaller).
    const regions = extras
      ? options.regions.filter((r) => !isOptInRegion(r) || extras.enabledOptInRegions.includes(r))
      : options.regions;
    const regionCount = regions.length;

    const contexts = regions.map((region): RegionContext => ({
      rng: createRng(`${seed}/${id}/${region}`),
      accountId: id,
      region,
      now,
      usedAliasNames: new Set(),
      usedAwsServices: new Set(),
    }));
    const generated = contexts.map((ctx) => generateRegion(ctx, options.keysPerRegion, regionCount));
    if (regionCount > 1) {
      generated.forEach(({ primaries }, i) => {
        const targetIndex = (i + 1) % regionCount;
        const target = contexts[targetIndex]!;
        const replicaCtx = {
          ...target,
          rng: createRng(`${seed}/${id}/${target.region}/replicas-from/${contexts[i]!.region}`),
        };
        for (const primary of primaries) {
          const replica = buildReplica(replicaCtx, primary);
          const replicas = [{ Arn: replica.metadata.Arn, Region: target.region }];
          primary.metadata.MultiRegionConfiguration!.ReplicaKeys = replicas;
          replica.metadata.MultiRegionConfiguration!.ReplicaKeys = structuredClone(replicas);
          generated[targetIndex]!.region.keys.push(replica);
        }
      });
    }
    contexts.forEach((ctx, i) => {
      const { region } = generated[i]!;
      finishAliases(ctx, region);
      account.regions[ctx.region] = region;
    });
    return account;
  });
  return {
    seed,
    now,
    regions: [...options.regions],
    accounts,
    ...(org ? { organization: org.organization } : {}),
  };
}

/** Accounts of the demo that `npm start` registers at first start; the others an organization sync finds. */
export const DEMO_START_ACCOUNTS = 3;

/**
 * A small estate for screenshots and first runs: 6 accounts, 2 regions, 12 keys in each. The
 * first 3 (Demo Production, Demo Staging, Demo Shared Services) are registered at first start;
 * all 6 form an organization Demo Production manages, in 3 OUs, where one of the other 3 lacks the
 * member role and one is suspended (none leaves).
 */
export function demoEstate(now?: Date): Estate {
  return generateEstate({
    accounts: 6,
    regions: ["us-east-1", "eu-west-1"],
    keysPerRegion: 12,
    seed: "demo",
    now,
    accountNamePrefix: "Demo ",
    organization: { ous: 3, depth: 2, leaver: false, steadyAccounts: DEMO_START_ACCOUNTS },
  });
}

export * from "./estate-queries";
