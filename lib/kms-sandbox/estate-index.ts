import { isOptInRegion } from "./aws-regions";
import type {
  Estate,
  SandboxAccount,
  SandboxAlias,
  SandboxKey,
  SandboxOrgMember,
  SandboxRole,
} from "./estate-types";
import { accessDenied, notFound, validation } from "./kms-errors";

/** Everything one account+region serves, indexed so that no call scans the estate. */
export interface RegionIndex {
  accountId: string;
  region: string;
  keys: SandboxKey[];
  keysById: Map<string, SandboxKey>;
  aliases: SandboxAlias[];
  aliasesByName: Map<string, SandboxAlias>;
  aliasesByKeyId: Map<string, SandboxAlias[]>;
}

const KEY_OR_ALIAS_ARN = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):(\d{12}):(key|alias)\/(.+)$/;

export interface KeyLookup {
  accountId: string;
  region: string;
  callerArn: string;
  operation: string;
  /** Alias names and alias ARNs are accepted only by some operations (DescribeKey, Encrypt, ...). */
  allowAlias: boolean;
}

export class EstateIndex {
  private readonly regions = new Map<string, RegionIndex>();
  private readonly accounts = new Map<string, SandboxAccount>();
  private readonly roles = new Map<string, { account: SandboxAccount; role: SandboxRole }>();
  private readonly members = new Map<string, SandboxOrgMember>();

  constructor(readonly estate: Estate) {
    for (const member of estate.organization?.members ?? []) this.members.set(member.accountId, member);
    for (const account of estate.accounts) {
      this.accounts.set(account.id, account);
      for (const role of [account.role, account.remediationRole, account.memberRole])
        if (role) this.roles.set(role.roleArn, { account, role });
      for (const [region, content] of Object.entries(account.regions)) {
        const aliasesByKeyId = new Map<string, SandboxAlias[]>();
        for (const alias of content.aliases) {
          if (alias.TargetKeyId === undefined) continue;
          const list = aliasesByKeyId.get(alias.TargetKeyId) ?? [];
          list.push(alias);
          aliasesByKeyId.set(alias.TargetKeyId, list);
        }
        this.regions.set(`${account.id}/${region}`, {
          accountId: account.id,
          region,
          keys: content.keys,
          keysById: new Map(content.keys.map((key) => [key.metadata.KeyId, key])),
          aliases: content.aliases,
          aliasesByName: new Map(content.aliases.map((alias) => [alias.AliasName, alias])),
          aliasesByKeyId,
        });
      }
    }
  }

  account(accountId: string): SandboxAccount | undefined {
    return this.accounts.get(accountId);
  }

  /** The account's organization membership as generated (whether it has left since is OrganizationState's). */
  orgMember(accountId: string): SandboxOrgMember | undefined {
    return this.members.get(accountId);
  }

  /** An opt-in region the account has not enabled: AWS refuses its credentials there. */
  isDisabledRegion(accountId: string, region: string): boolean {
    const enabled = this.accounts.get(accountId)?.enabledOptInRegions;
    return enabled !== undefined && isOptInRegion(region) && !enabled.includes(region);
  }

  roleByArn(roleArn: string) {
    return this.roles.get(roleArn);
  }

  /** A region the estate does not have is served as empty, like a real account's unused region. */
  region(accountId: string, region: string): RegionIndex {
    return (
      this.regions.get(`${accountId}/${region}`) ?? {
        accountId,
        region,
        keys: [],
        keysById: new Map(),
        aliases: [],
        aliasesByName: new Map(),
        aliasesByKeyId: new Map(),
      }
    );
  }

  /** Resolves a KeyId parameter (key id, key ARN, alias name, alias ARN) in the caller's account and region. */
  resolveKey(keyIdParam: unknown, lookup: KeyLookup): SandboxKey {
    if (keyIdParam === undefined || keyIdParam === null) {
      throw validation(
        "1 validation error detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null",
      );
    }
    if (typeof keyIdParam !== "string" || keyIdParam.length < 1 || keyIdParam.length > 2048) {
      throw validation(
        "1 validation error detected: Value at 'keyId' failed to satisfy constraint: Member must have length between 1 and 2048",
      );
    }
    const here = this.region(lookup.accountId, lookup.region);
    const arn = KEY_OR_ALIAS_ARN.exec(keyIdParam);
    if (keyIdParam.startsWith("arn:")) {
      if (!arn) throw notFound(`Invalid arn ${keyIdParam}`);
      const [, region, accountId, kind, name] = arn as unknown as [string, string, string, string, string];
      if (region !== lookup.region) throw notFound(`Invalid arn ${region}`);
      if (kind === "alias" && !lookup.allowAlias) throw notFound(`Invalid keyId ${keyIdParam}`);
      const target = this.region(accountId, region);
      const key =
        kind === "key" ? target.keysById.get(name) : this.aliasTarget(target, `alias/${name}`, keyIdParam);
      if (!key)
        throw notFound(
          kind === "key" ? `Key '${keyIdParam}' does not exist` : `Alias ${keyIdParam} is not found.`,
        );
      if (accountId !== lookup.accountId) {
        throw accessDenied(
          lookup.callerArn,
          lookup.operation,
          key.metadata.Arn,
          `because no resource-based policy allows the kms:${lookup.operation} action`,
        );
      }
      return key;
    }
    if (keyIdParam.startsWith("alias/")) {
      if (!lookup.allowAlias) throw notFound(`Invalid keyId ${keyIdParam}`);
      const key = this.aliasTarget(here, keyIdParam, keyIdParam);
      if (!key)
        throw notFound(`Alias arn:aws:kms:${lookup.region}:${lookup.accountId}:${keyIdParam} is not found.`);
      return key;
    }
    const key = here.keysById.get(keyIdParam);
    if (!key)
      throw notFound(
        `Key 'arn:aws:kms:${lookup.region}:${lookup.accountId}:key/${keyIdParam}' does not exist`,
      );
    return key;
  }

  private aliasTarget(region: RegionIndex, aliasName: string, asGiven: string): SandboxKey | undefined {
    const alias = region.aliasesByName.get(aliasName);
    if (!alias) return undefined;
    if (alias.TargetKeyId === undefined) throw notFound(`Alias ${asGiven} is not found.`);
    return region.keysById.get(alias.TargetKeyId);
  }

  /** The primary of a multi-Region replica (undefined for any other key). */
  primaryOf(key: SandboxKey): SandboxKey | undefined {
    const config = key.metadata.MultiRegionConfiguration;
    if (config?.MultiRegionKeyType !== "REPLICA") return undefined;
    return this.region(key.accountId, config.PrimaryKey.Region).keysById.get(key.metadata.KeyId);
  }

  replicasOf(key: SandboxKey): SandboxKey[] {
    const config = key.metadata.MultiRegionConfiguration;
    if (config?.MultiRegionKeyType !== "PRIMARY") return [];
    return config.ReplicaKeys.flatMap(
      (ref) => this.region(key.accountId, ref.Region).keysById.get(key.metadata.KeyId) ?? [],
    );
  }
}
