import {
  DescribeKeyCommand,
  GetKeyRotationStatusCommand,
  ListAliasesCommand,
  ListKeysCommand,
  ListResourceTagsCommand,
  paginateListKeys,
  type KMSClient,
} from "@aws-sdk/client-kms";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { kmsClient } from "@/test/support/kms-sandbox";
import { generateEstate, keysIn, type Estate } from "./estate";
import { isHostileTarget } from "./hostile";
import { startSandbox, type RunningSandbox } from "./server";
import type { SandboxStats } from "./stats";

const region = "us-east-1";
let sandbox: RunningSandbox;
let estate: Estate;
let a: string;
let b: string;

beforeAll(async () => {
  sandbox = await startSandbox({
    estate: generateEstate({ accounts: 2, regions: [region, "eu-west-1"], keysPerRegion: 40, seed: 21 }),
  });
  estate = sandbox.estate;
  [a, b] = estate.accounts.map((account) => account.id) as [string, string];
});

afterEach(() => sandbox.setFaults({}));
afterAll(async () => {
  await sandbox?.stop();
});

async function listAndDescribe(client: KMSClient, accountId: string) {
  const ids: string[] = [];
  for await (const page of paginateListKeys({ client, pageSize: 10 }, {}))
    ids.push(...page.Keys!.map((k) => k.KeyId!));
  const described = await Promise.all(
    ids.map(async (id) => (await client.send(new DescribeKeyCommand({ KeyId: id }))).KeyMetadata!),
  );
  expect(described.map((m) => m.AWSAccountId)).toEqual(ids.map(() => accountId));
  return described.map((m) => ({
    id: m.KeyId,
    state: m.KeyState,
    spec: m.KeySpec,
    created: m.CreationDate?.getTime(),
  }));
}

describe("throttling", () => {
  it("is absorbed by the SDK's standard retries with the same results as without faults", async () => {
    const client = kmsClient(sandbox, a, region, { maxAttempts: 10, retryMode: "standard" });
    const clean = await listAndDescribe(client, a);
    sandbox.setFaults({ throttleRate: 0.3, seed: 1 });
    sandbox.resetStats();
    expect(await listAndDescribe(client, a)).toEqual(clean);
    const stats = sandbox.stats();
    expect(stats.faults.throttled).toBeGreaterThan(5);
    expect(stats.errors.ThrottlingException).toBe(stats.faults.throttled);
    // 4 ListKeys pages and 40 DescribeKey calls succeeded; every throttled call was retried.
    expect(stats.calls).toBe(4 + 40 + stats.faults.throttled);
    client.destroy();
  }, 120_000); // the SDK backs off up to seconds after a throttle: a few unlucky calls take a while
});

describe("access denied", () => {
  it("denies every operation of a listed account, and only that account", async () => {
    sandbox.setFaults({ accessDenied: { accounts: [a] } });
    const clientA = kmsClient(sandbox, a, region, { maxAttempts: 1 });
    const clientB = kmsClient(sandbox, b, region, { maxAttempts: 1 });
    await expect(clientA.send(new ListKeysCommand({}))).rejects.toMatchObject({
      name: "AccessDeniedException",
      $metadata: { httpStatusCode: 400 },
    });
    await expect(clientA.send(new ListAliasesCommand({}))).rejects.toMatchObject({
      name: "AccessDeniedException",
    });
    expect((await clientB.send(new ListKeysCommand({}))).Keys!.length).toBe(40);
    clientA.destroy();
    clientB.destroy();
  });

  it("denies a listed operation in a listed account only, when both are given", async () => {
    sandbox.setFaults({ accessDenied: { accounts: [a], operations: ["GetKeyRotationStatus"] } });
    const key = keysIn(estate, a, region).find((k) => k.scenario === "rotation-enabled-default")!;
    const clientA = kmsClient(sandbox, a, region, { maxAttempts: 1 });
    await expect(
      clientA.send(new GetKeyRotationStatusCommand({ KeyId: key.metadata.KeyId })),
    ).rejects.toMatchObject({ name: "AccessDeniedException" });
    expect(
      (await clientA.send(new DescribeKeyCommand({ KeyId: key.metadata.KeyId }))).KeyMetadata!.KeyId,
    ).toBe(key.metadata.KeyId);
    const keyB = keysIn(estate, b, region).find((k) => k.scenario === "rotation-enabled-default")!;
    const clientB = kmsClient(sandbox, b, region, { maxAttempts: 1 });
    expect(
      (await clientB.send(new GetKeyRotationStatusCommand({ KeyId: keyB.metadata.KeyId })))
        .KeyRotationEnabled,
    ).toBe(true);
    clientA.destroy();
    clientB.destroy();
  });
});

describe("server errors and dropped connections", () => {
  it("answers KMSInternalException (500) and DependencyTimeoutException (503), retried by the SDK", async () => {
    const client = kmsClient(sandbox, a, region, { maxAttempts: 2 });
    sandbox.setFaults({ serverErrorRate: 1 });
    sandbox.resetStats();
    const error = await client.send(new ListKeysCommand({})).catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: "KMSInternalException",
      $metadata: { httpStatusCode: 500, attempts: 2 },
    });
    expect(sandbox.stats().faults.serverErrors).toBe(2);
    sandbox.setFaults({ dependencyTimeoutRate: 1 });
    await expect(client.send(new ListKeysCommand({}))).rejects.toMatchObject({
      name: "DependencyTimeoutException",
      $metadata: { httpStatusCode: 503 },
    });
    client.destroy();
  });

  it("surfaces a dropped connection as a network error (faults set over HTTP)", async () => {
    const set = await fetch(`${sandbox.url}/__sandbox/faults`, {
      method: "POST",
      body: JSON.stringify({ dropRate: 1 }),
    });
    expect(await set.json()).toEqual({ dropRate: 1 });
    const client = kmsClient(sandbox, a, region, { maxAttempts: 1 });
    const error = (await client.send(new ListKeysCommand({})).catch((e: unknown) => e)) as Error & {
      code?: string;
    };
    expect(error).toBeInstanceOf(Error);
    expect(`${error.code} ${error.message}`).toMatch(/ECONNRESET|socket hang up/);
    expect(sandbox.stats().faults.dropped).toBeGreaterThanOrEqual(1);
    const rejected = await fetch(`${sandbox.url}/__sandbox/faults`, {
      method: "POST",
      body: JSON.stringify({ dropRate: 2 }),
    });
    expect(rejected.status).toBe(400);
    client.destroy();
  });
});

describe("latency and stats", () => {
  it("delays every call and records peak concurrency and calls per operation, account and region", async () => {
    sandbox.setFaults({ latencyMs: 50 });
    sandbox.resetStats();
    const client = kmsClient(sandbox, b, region);
    const started = Date.now();
    await Promise.all(Array.from({ length: 20 }, () => client.send(new ListKeysCommand({ Limit: 1 }))));
    expect(Date.now() - started).toBeGreaterThanOrEqual(50);
    const stats = (await (await fetch(`${sandbox.url}/__sandbox/stats`)).json()) as SandboxStats;
    expect(stats.byOperation).toEqual({ ListKeys: 20 });
    expect(stats.byAccount).toEqual({ [b]: 20 });
    expect(stats.byRegion).toEqual({ [region]: 20 });
    expect(stats.peakInFlight).toBeGreaterThanOrEqual(10);
    expect(stats.inFlight).toBe(0);
    client.destroy();
  });
});

describe("hostile answers", () => {
  it("sends unknown enum values, missing optional fields and huge tags that the SDK still parses", async () => {
    sandbox.setFaults({ hostile: true });
    const client = kmsClient(sandbox, a, region);
    const target = keysIn(estate, a, region).find((k) => isHostileTarget(k.metadata.KeyId))!;
    const { KeyMetadata } = await client.send(new DescribeKeyCommand({ KeyId: target.metadata.KeyId }));
    expect(KeyMetadata!.KeyState).toBe("FutureState");
    expect(KeyMetadata!.Description).toBeUndefined();
    const tagged = keysIn(estate, a, region).find((k) => k.tags.length > 0 && k.tags.length < 50)!;
    const { Tags } = await client.send(new ListResourceTagsCommand({ KeyId: tagged.metadata.KeyId }));
    expect(Tags!.some((t) => t.TagValue!.length === 100_000)).toBe(true);
    const { Aliases } = await client.send(new ListAliasesCommand({}));
    expect(Aliases!.every((alias) => alias.CreationDate === undefined)).toBe(true);
    client.destroy();
  });

  it("makes one operation answer malformed JSON that the SDK cannot parse", async () => {
    sandbox.setFaults({ malformedJsonOperations: ["ListAliases"] });
    const client = kmsClient(sandbox, a, region, { maxAttempts: 1 });
    await expect(client.send(new ListAliasesCommand({}))).rejects.toBeInstanceOf(Error);
    expect((await client.send(new ListKeysCommand({ Limit: 1 }))).Keys).toHaveLength(1);
    client.destroy();
  });
});
