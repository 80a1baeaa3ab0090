import { generateEstate, type Estate, type SandboxKey } from "@/lib/kms-sandbox";
import { rotationCallsNeeded } from "@/lib/verdict/rules";

// The benchmark's estate and the calls the spec really needs to judge it (kms-key-rotation.md,
// kms-api-notes.md): per region the ListKeys and ListAliases pages, per key one DescribeKey, then
// GetKeyRotationStatus only for customer symmetric AWS_KMS keys in a usable state, the
// ListKeyRotations pages for imported material, and the ListResourceTags pages of customer keys.

export interface EstateShape {
  accounts: number;
  regions: string[];
  keysPerRegion: number;
  seed: string;
}

export interface NeededCalls {
  ListKeys: number;
  ListAliases: number;
  DescribeKey: number;
  GetKeyRotationStatus: number;
  ListKeyRotations: number;
  ListResourceTags: number;
  total: number;
}

export interface BenchAccount {
  id: string;
  name: string;
  roleArn: string;
  externalId?: string;
}

export const pages = (items: number, pageSize: number) => Math.max(1, Math.ceil(items / pageSize));

/**
 * The sandbox leaves every 5th account without an assumable role; a real organisation scanner
 * reaches every member account through one, so the benchmark gives those accounts the role too.
 */
export function benchEstate(shape: EstateShape): Estate {
  const estate = generateEstate(shape);
  for (const account of estate.accounts) {
    account.role ??= {
      roleName: "KmsInsightsReadOnly",
      roleArn: `arn:aws:iam::${account.id}:role/KmsInsightsReadOnly`,
      externalId: `kmsi-bench-${account.id}`,
    };
  }
  return estate;
}

export function benchAccounts(estate: Estate): BenchAccount[] {
  return estate.accounts.map((a) => ({
    id: a.id,
    name: a.name,
    roleArn: a.role!.roleArn,
    ...(a.role!.externalId ? { externalId: a.role!.externalId } : {}),
  }));
}

/** Page sizes are the largest each operation allows: the collector uses them too. */
function keyCalls(key: SandboxKey, add: (op: keyof NeededCalls, n: number) => void): void {
  const m = key.metadata;
  add("DescribeKey", 1);
  const needed = rotationCallsNeeded({
    keyState: m.KeyState,
    keyManager: m.KeyManager,
    keySpec: m.KeySpec,
    origin: m.Origin,
  });
  if (needed.rotationStatus) add("GetKeyRotationStatus", 1);
  if (needed.keyRotations) add("ListKeyRotations", pages(key.rotations.length, 1000));
  if (m.KeyManager === "CUSTOMER") add("ListResourceTags", pages(key.tags.length, 50));
}

export function neededCalls(estate: Estate): { calls: NeededCalls; keys: number; keysByAccount: number[] } {
  const calls: NeededCalls = {
    ListKeys: 0,
    ListAliases: 0,
    DescribeKey: 0,
    GetKeyRotationStatus: 0,
    ListKeyRotations: 0,
    ListResourceTags: 0,
    total: 0,
  };
  const add = (op: keyof NeededCalls, n: number) => {
    calls[op] += n;
    calls.total += n;
  };
  const keysByAccount = estate.accounts.map((account) => {
    let keys = 0;
    for (const region of estate.regions) {
      const content = account.regions[region];
      add("ListKeys", pages(content?.keys.length ?? 0, 1000));
      add("ListAliases", pages(content?.aliases.length ?? 0, 100));
      for (const key of content?.keys ?? []) keyCalls(key, add);
      keys += content?.keys.length ?? 0;
    }
    return keys;
  });
  return { calls, keys: keysByAccount.reduce((a, b) => a + b, 0), keysByAccount };
}
