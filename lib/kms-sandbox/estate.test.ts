import { describe, expect, it } from "vitest";
import { REASON_CODES } from "@/lib/verdict/types";
import {
  allKeys,
  DEMO_START_ACCOUNTS,
  demoEstate,
  expectedReason,
  fullCoverageKeysPerRegion,
  generateEstate,
  keysIn,
  severityOf,
  type Estate,
  type SandboxKey,
} from "./estate";

const now = new Date("2026-11-30T00:00:00Z");
const regions = ["us-east-1", "eu-west-1", "ap-southeast-2"];
const estate = generateEstate({ accounts: 4, regions, keysPerRegion: 30, seed: 7, now });

function eachRegion(e: Estate, check: (keys: SandboxKey[], label: string) => void): void {
  for (const account of e.accounts)
    for (const region of e.regions) check(keysIn(e, account.id, region), `${account.id}/${region}`);
}

describe("generateEstate", () => {
  it("is deterministic: same options give the same estate, another seed another one", () => {
    const again = generateEstate({ accounts: 4, regions, keysPerRegion: 30, seed: 7, now });
    expect(JSON.stringify(again)).toBe(JSON.stringify(estate));
    const other = generateEstate({ accounts: 4, regions, keysPerRegion: 30, seed: 8, now });
    expect(other.accounts[0]!.id).not.toBe(estate.accounts[0]!.id);
  });

  it("puts exactly keysPerRegion keys in every account and region, with unique key ids", () => {
    for (const keysPerRegion of [0, 1, 5, 12, 25, 30, 140]) {
      const e = generateEstate({
        accounts: 2,
        regions: ["us-east-1", "eu-west-1"],
        keysPerRegion,
        seed: 1,
        now,
      });
      eachRegion(e, (keys) => {
        expect(keys).toHaveLength(keysPerRegion);
        expect(new Set(keys.map((k) => k.metadata.KeyId)).size).toBe(keysPerRegion);
      });
    }
  });

  it("covers every row of the severity table in every account and region", () => {
    expect(fullCoverageKeysPerRegion(regions.length)).toBeLessThanOrEqual(30);
    eachRegion(estate, (keys, label) => {
      const reasons = new Set(keys.map((k) => expectedReason(k, { now })));
      expect([...reasons].sort(), label).toEqual([...REASON_CODES].sort());
    });
  });

  it("has in every account and region each special case the collector must survive", () => {
    eachRegion(estate, (keys, label) => {
      const has = (what: string, test: (k: SandboxKey) => boolean) =>
        expect(keys.some(test), `${label}: ${what}`).toBe(true);
      for (const state of [
        "PendingDeletion",
        "PendingReplicaDeletion",
        "Creating",
        "Updating",
        "PendingImport",
        "Unavailable",
        "Disabled",
      ]) {
        has(state, (k) => k.metadata.KeyState === state);
      }
      for (const prefix of ["RSA_", "ECC_", "HMAC_", "SM2", "ML_DSA_"])
        has(prefix, (k) => k.metadata.KeySpec.startsWith(prefix));
      for (const origin of ["AWS_CLOUDHSM", "EXTERNAL_KEY_STORE", "EXTERNAL"])
        has(origin, (k) => k.metadata.Origin === origin);
      has(
        "AWS managed with alias/aws/*",
        (k) => k.metadata.KeyManager === "AWS" && k.aliasNames[0]?.startsWith("alias/aws/") === true,
      );
      has("denied rotation status", (k) => k.rotationStatusError === "AccessDeniedException");
      has("period 730", (k) => k.rotation.enabled && k.rotation.periodInDays === 730);
      has("period 365", (k) => k.rotation.enabled && k.rotation.periodInDays === 365);
      has(
        "enabled without a period field",
        (k) => k.rotation.enabled && k.rotation.periodInDays === undefined,
      );
      has(
        "multi-Region primary",
        (k) => k.metadata.MultiRegionConfiguration?.MultiRegionKeyType === "PRIMARY",
      );
      has(
        "multi-Region replica",
        (k) => k.metadata.MultiRegionConfiguration?.MultiRegionKeyType === "REPLICA",
      );
      has("more than 50 tags", (k) => k.tags.length > 50);
    });
  });

  it("gives replicas the primary's key id and rotation, in another region of the same account", () => {
    const keys = allKeys(estate);
    const replicas = keys.filter(
      (k) => k.metadata.MultiRegionConfiguration?.MultiRegionKeyType === "REPLICA",
    );
    expect(replicas.length).toBe(estate.accounts.length * regions.length * 2);
    for (const replica of replicas) {
      const ref = replica.metadata.MultiRegionConfiguration!.PrimaryKey;
      const primary = keysIn(estate, replica.accountId, ref.Region).find((k) => k.metadata.Arn === ref.Arn)!;
      expect(replica.metadata.KeyId).toBe(primary.metadata.KeyId);
      expect(replica.metadata.KeyId).toMatch(/^mrk-[0-9a-f]{32}$/);
      expect(replica.region).not.toBe(primary.region);
      expect(replica.rotation).toEqual(primary.rotation);
      expect(primary.metadata.MultiRegionConfiguration!.ReplicaKeys).toEqual([
        { Arn: replica.metadata.Arn, Region: replica.region },
      ]);
    }
  });

  it("dates imported material so one key is fresh and one stale against a 365-day policy", () => {
    const imported = allKeys(estate).filter(
      (k) => k.scenario === "imported-fresh" || k.scenario === "imported-stale",
    );
    for (const key of imported) {
      const fresh = key.scenario === "imported-fresh";
      expect(expectedReason(key, { now }), key.metadata.KeyId).toBe(
        fresh ? "IMPORTED_MATERIAL_ROTATED" : "IMPORTED_MATERIAL_STALE",
      );
      expect(key.rotations.every((r) => r.RotationType === "ON_DEMAND")).toBe(true);
    }
  });

  it("builds ARNs, account ids and roles in the real formats", () => {
    const ids = estate.accounts.map((a) => a.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^\d{12}$/);
    expect(ids[1]!.startsWith("0")).toBe(true);
    for (const account of estate.accounts) {
      if (!account.role) continue;
      expect(account.role.roleArn).toMatch(
        new RegExp(`^arn:aws:iam::${account.id}:role/(security-audit/)?KmsInsightsReadOnly$`),
      );
      if (account.role.externalId) expect(account.role.externalId).toMatch(/^[\w+=,.@:/-]{2,1224}$/);
    }
    expect(
      estate.accounts.map((a) =>
        a.role ? (a.role.externalId ? "external-id" : "no-external-id") : "no-role",
      ),
    ).toEqual(["external-id", "no-external-id", "external-id", "no-role"]);
    for (const key of allKeys(estate)) {
      expect(key.metadata.Arn).toBe(`arn:aws:kms:${key.region}:${key.accountId}:key/${key.metadata.KeyId}`);
      expect(key.metadata.Enabled).toBe(key.metadata.KeyState === "Enabled");
    }
  });

  it("gives aliases unique names per region that point at keys of that region, or at nothing", () => {
    for (const account of estate.accounts) {
      for (const [region, content] of Object.entries(account.regions)) {
        const names = content.aliases.map((a) => a.AliasName);
        expect(new Set(names).size).toBe(names.length);
        const ids = new Set(content.keys.map((k) => k.metadata.KeyId));
        for (const alias of content.aliases) {
          expect(alias.AliasName).toMatch(/^alias\/[a-zA-Z0-9/_-]+$/);
          expect(alias.AliasArn).toBe(`arn:aws:kms:${region}:${account.id}:${alias.AliasName}`);
          if (alias.TargetKeyId !== undefined) expect(ids.has(alias.TargetKeyId)).toBe(true);
          else expect(alias.AliasName.startsWith("alias/aws/")).toBe(true);
        }
      }
    }
  });

  it("rejects options it cannot honour", () => {
    expect(() => generateEstate({ accounts: 0, regions, keysPerRegion: 1, seed: 1 })).toThrow(RangeError);
    expect(() => generateEstate({ accounts: 1, regions: ["Mars-1"], keysPerRegion: 1, seed: 1 })).toThrow(
      /not a region name/,
    );
    expect(() =>
      generateEstate({ accounts: 1, regions: ["us-east-1", "us-east-1"], keysPerRegion: 1, seed: 1 }),
    ).toThrow(/repeat/);
  });
});

describe("demoEstate", () => {
  it("is small, named for demos, and shows all four severities", () => {
    const demo = demoEstate(now);
    expect(demo.accounts.slice(0, DEMO_START_ACCOUNTS).map((a) => a.name)).toEqual([
      "Demo Production",
      "Demo Staging",
      "Demo Shared Services",
    ]);
    expect(demo.regions).toHaveLength(2);
    const startKeys = demo.accounts
      .slice(0, DEMO_START_ACCOUNTS)
      .flatMap((a) => Object.values(a.regions).flatMap((r) => r.keys));
    expect(startKeys).toHaveLength(72);
    const severities = new Set(startKeys.map((k) => severityOf(expectedReason(k, { now }))));
    expect([...severities].sort()).toEqual(["CRITICAL", "NOT_APPLICABLE", "OK", "WARNING"]);
  });

  it("has a small organization the first account manages, in a few OUs, one member without the role", () => {
    const demo = demoEstate(now);
    const org = demo.organization!;
    expect(org.managementAccountId).toBe(demo.accounts[0]!.id);
    expect(org.members).toHaveLength(6);
    expect(org.units.length).toBeGreaterThanOrEqual(2);
    expect(org.units.length).toBeLessThanOrEqual(3);
    expect(org.leaverId).toBeUndefined();
    const plain = demo.accounts.slice(0, DEMO_START_ACCOUNTS);
    expect(plain.every((a) => a.memberRole !== undefined)).toBe(true);
    expect(org.members.slice(0, DEMO_START_ACCOUNTS).every((m) => m.status === "ACTIVE")).toBe(true);
    expect(demo.accounts.filter((a) => a.memberRole === undefined)).toHaveLength(1);
  });
});
