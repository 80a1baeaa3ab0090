import {
  DescribeKeyCommand,
  KMSClient,
  ListAliasesCommand,
  ListKeysCommand,
  ListResourceTagsCommand,
  paginateListAliases,
  paginateListKeys,
  paginateListResourceTags,
} from "@aws-sdk/client-kms";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kmsClient } from "@/test/support/kms-sandbox";
import { aliasesIn, generateEstate, keysIn, type Estate, type SandboxKey } from "./estate";
import { sandboxCredentialsFor } from "./credentials";
import { startSandbox, type RunningSandbox } from "./server";

const now = new Date("2026-11-30T00:00:00Z");
let sandbox: RunningSandbox;
let estate: Estate;
let accountId: string;
let kms: KMSClient;
const region = "eu-west-1";

beforeAll(async () => {
  // 130 keys per region: more than one ListKeys page (default Limit 100).
  sandbox = await startSandbox({
    estate: generateEstate({
      accounts: 3,
      regions: ["us-east-1", region],
      keysPerRegion: 130,
      seed: 11,
      now,
    }),
  });
  estate = sandbox.estate;
  accountId = estate.accounts[1]!.id;
  kms = kmsClient(sandbox, accountId, region);
});

afterAll(async () => {
  kms?.destroy();
  await sandbox?.stop();
});

const byScenario = (scenario: string): SandboxKey =>
  keysIn(estate, accountId, region).find((k) => k.scenario === scenario)!;

async function allKeyIds(client: KMSClient, pageSize?: number): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let pages = 0;
  for await (const page of paginateListKeys({ client, pageSize }, {})) {
    ids.push(...page.Keys!.map((k) => k.KeyId!));
    pages++;
  }
  return { ids, pages };
}

describe("listing keys", () => {
  it("lists every key of the account and region across pages with the SDK paginator", async () => {
    const expected = keysIn(estate, accountId, region).map((k) => k.metadata.KeyId);
    expect(await allKeyIds(kms)).toEqual({ ids: expected, pages: 2 });
    expect(await allKeyIds(kms, 7)).toEqual({ ids: expected, pages: Math.ceil(130 / 7) });
  });

  it("returns KeyArn beside KeyId and says Truncated with a NextMarker only before the last page", async () => {
    const first = await kms.send(new ListKeysCommand({ Limit: 100 }));
    expect(first.Truncated).toBe(true);
    expect(first.NextMarker).toBeTruthy();
    expect(first.Keys![0]!.KeyArn).toBe(`arn:aws:kms:${region}:${accountId}:key/${first.Keys![0]!.KeyId}`);
    const last = await kms.send(new ListKeysCommand({ Limit: 100, Marker: first.NextMarker }));
    expect(last.Keys).toHaveLength(30);
    expect(last.Truncated).toBe(false);
    expect(last.NextMarker).toBeUndefined();
  });
});

describe("aliases", () => {
  it("lists every alias of the region, including predefined AWS aliases with no target", async () => {
    const names: string[] = [];
    for await (const page of paginateListAliases({ client: kms, pageSize: 20 }, {})) {
      names.push(...page.Aliases!.map((a) => a.AliasName!));
    }
    expect(names).toEqual(aliasesIn(estate, accountId, region).map((a) => a.AliasName));
    const { Aliases } = await kms.send(new ListAliasesCommand({ Limit: 100 }));
    const untargeted = Aliases!.filter((a) => a.TargetKeyId === undefined);
    expect(untargeted.length).toBeGreaterThan(0);
    for (const alias of untargeted) {
      expect(alias.AliasName).toMatch(/^alias\/aws\//);
      expect(alias.CreationDate).toBeUndefined();
    }
    expect(Aliases!.find((a) => a.TargetKeyId)!.CreationDate).toBeInstanceOf(Date);
  });

  it("lists the aliases of one key when asked by KeyId", async () => {
    const key = byScenario("aws-managed");
    const { Aliases } = await kms.send(new ListAliasesCommand({ KeyId: key.metadata.KeyId }));
    expect(Aliases!.map((a) => a.AliasName)).toEqual(key.aliasNames);
    expect(Aliases![0]!.AliasName).toMatch(/^alias\/aws\//);
  });
});

describe("DescribeKey", () => {
  it("finds a key by id, key ARN, alias name and alias ARN", async () => {
    const key = keysIn(estate, accountId, region).find(
      (k) => k.aliasNames.length > 0 && k.metadata.KeyManager === "CUSTOMER",
    )!;
    const alias = key.aliasNames[0];
    for (const keyId of [
      key.metadata.KeyId,
      key.metadata.Arn,
      alias,
      `arn:aws:kms:${region}:${accountId}:${alias}`,
    ]) {
      const { KeyMetadata } = await kms.send(new DescribeKeyCommand({ KeyId: keyId }));
      expect(KeyMetadata!.KeyId, keyId).toBe(key.metadata.KeyId);
    }
  });

  it("returns the full metadata, dates as Dates", async () => {
    const key = byScenario("pending-deletion");
    const { KeyMetadata } = await kms.send(new DescribeKeyCommand({ KeyId: key.metadata.KeyId }));
    expect(KeyMetadata).toMatchObject({
      AWSAccountId: accountId,
      Arn: key.metadata.Arn,
      KeyState: "PendingDeletion",
      Enabled: false,
      KeyManager: "CUSTOMER",
      KeySpec: "SYMMETRIC_DEFAULT",
      Origin: "AWS_KMS",
      MultiRegion: false,
    });
    expect(KeyMetadata!.CreationDate!.getTime()).toBe(key.metadata.CreationDate.getTime());
    expect(KeyMetadata!.DeletionDate!.getTime()).toBe(key.metadata.DeletionDate!.getTime());
  });

  it("describes multi-Region primaries and replicas with their configuration", async () => {
    const replica = keysIn(estate, accountId, region).find((k) => k.scenario === "multi-region-replica")!;
    const { KeyMetadata } = await kms.send(new DescribeKeyCommand({ KeyId: replica.metadata.KeyId }));
    expect(KeyMetadata!.MultiRegionConfiguration).toEqual({
      MultiRegionKeyType: "REPLICA",
      PrimaryKey: {
        Arn: `arn:aws:kms:us-east-1:${accountId}:key/${replica.metadata.KeyId}`,
        Region: "us-east-1",
      },
      ReplicaKeys: [{ Arn: replica.metadata.Arn, Region: region }],
    });
  });

  it("answers NotFoundException for unknown keys and aliases", async () => {
    const untargeted = aliasesIn(estate, accountId, region).find(
      (a) => a.TargetKeyId === undefined,
    )!.AliasName;
    for (const keyId of ["00000000-0000-4000-8000-000000000000", "alias/does-not-exist", untargeted]) {
      await expect(kms.send(new DescribeKeyCommand({ KeyId: keyId })), keyId).rejects.toMatchObject({
        name: "NotFoundException",
      });
    }
  });
});

describe("tags", () => {
  it("pages through a key with more than 50 tags in order", async () => {
    const key = byScenario("rotation-enabled-default");
    expect(key.tags.length).toBeGreaterThan(50);
    for (const pageSize of [undefined, 10]) {
      const tags: { TagKey?: string; TagValue?: string }[] = [];
      let pages = 0;
      for await (const page of paginateListResourceTags(
        { client: kms, pageSize },
        { KeyId: key.metadata.KeyId },
      )) {
        tags.push(...page.Tags!);
        pages++;
      }
      expect(tags).toEqual(key.tags);
      expect(pages).toBe(Math.ceil(key.tags.length / (pageSize ?? 50)));
    }
  });

  it("keeps empty, long, unicode and formula-like values intact", async () => {
    const key = byScenario("rotation-enabled-default");
    const { Tags } = await kms.send(new ListResourceTagsCommand({ KeyId: key.metadata.Arn, Limit: 50 }));
    const values = Tags!.map((t) => t.TagValue);
    expect(values).toContain("");
    expect(values).toContain("東京オフィス");
    expect(values).toContain('=HYPERLINK("https://example.com","click")');
    expect(values.some((v) => v!.length === 256)).toBe(true);
  });
});

describe("isolation of accounts and regions", () => {
  it("does not find a key of one region from another region", async () => {
    const key = keysIn(estate, accountId, "us-east-1").find((k) => !k.metadata.MultiRegion)!;
    await expect(kms.send(new DescribeKeyCommand({ KeyId: key.metadata.KeyId }))).rejects.toMatchObject({
      name: "NotFoundException",
    });
    await expect(kms.send(new DescribeKeyCommand({ KeyId: key.metadata.Arn }))).rejects.toMatchObject({
      name: "NotFoundException",
    });
  });

  it("denies a key ARN of another account and lists only the caller's keys", async () => {
    const other = estate.accounts[0]!.id;
    const foreign = keysIn(estate, other, region)[0]!;
    await expect(kms.send(new DescribeKeyCommand({ KeyId: foreign.metadata.Arn }))).rejects.toMatchObject({
      name: "AccessDeniedException",
    });
    await expect(kms.send(new DescribeKeyCommand({ KeyId: foreign.metadata.KeyId }))).rejects.toMatchObject({
      name: "NotFoundException",
    });
    const otherClient = kmsClient(sandbox, other, region);
    const ids = (await allKeyIds(otherClient)).ids;
    otherClient.destroy();
    expect(ids).toEqual(keysIn(estate, other, region).map((k) => k.metadata.KeyId));
    expect(ids).not.toContain(keysIn(estate, accountId, region)[0]!.metadata.KeyId);
  });

  it("serves a region the estate does not have as empty", async () => {
    const client = kmsClient(sandbox, accountId, "sa-east-1");
    expect((await client.send(new ListKeysCommand({}))).Keys).toEqual([]);
    client.destroy();
  });

  it("rejects an access key it does not know with UnrecognizedClientException", async () => {
    const stranger = new KMSClient({
      endpoint: sandbox.url,
      region,
      credentials: sandboxCredentialsFor("999999999999"),
    });
    await expect(stranger.send(new ListKeysCommand({}))).rejects.toMatchObject({
      name: "UnrecognizedClientException",
    });
    stranger.destroy();
  });

  it("is reached through AWS_ENDPOINT_URL_KMS without an endpoint in the client config", async () => {
    const saved = process.env.AWS_ENDPOINT_URL_KMS;
    process.env.AWS_ENDPOINT_URL_KMS = sandbox.url;
    try {
      const client = new KMSClient({ region, credentials: sandboxCredentialsFor(accountId) });
      expect((await client.send(new ListKeysCommand({ Limit: 5 }))).Keys).toHaveLength(5);
      client.destroy();
    } finally {
      if (saved === undefined) delete process.env.AWS_ENDPOINT_URL_KMS;
      else process.env.AWS_ENDPOINT_URL_KMS = saved;
    }
  });
});
