import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startWorker, type Worker } from "@/lib/collector/queue";
import { generateEstate, sandboxCredentialsFor, startSandbox, type RunningSandbox } from "@/lib/kms-sandbox";
import { useFreshDatabase } from "@/test/db";
import { scanAndWait } from "@/test/support/collector";
import { AccountError, addAccount, updateAccount } from "./service";
import { testAccountAccess } from "./test-access";

// An account's endpoint URL decides where the server sends signed requests, and for role accounts
// where it sends STS calls signed with the console's own credentials. A local HTTP server stands in
// for a host an admin typed: nothing may reach it, at add/edit, "Test access" or scan time.

const estate = generateEstate({ accounts: 2, regions: ["us-east-1"], keysPerRegion: 5, seed: "allowlist" });
const [home, viaRole] = [estate.accounts[0]!, estate.accounts[1]!];
let sandbox: RunningSandbox;
const db = useFreshDatabase();
let worker: Worker;
let evil: http.Server;
let evilUrl: string;
const evilRequests: string[] = [];
const savedEnv = { ...process.env };
const NOT_ALLOWED = /The endpoint .* is not allowed: .*INSIGHTS_ALLOWED_ENDPOINT_HOSTS/;

beforeAll(async () => {
  evil = http.createServer((req, res) => {
    evilRequests.push(`${req.method} ${req.url} ${req.headers.authorization ?? ""}`);
    res.writeHead(200, { "content-type": "application/x-amz-json-1.1" }).end("{}");
  });
  await new Promise<void>((resolve) => evil.listen(0, "127.0.0.1", resolve));
  evilUrl = `http://127.0.0.1:${(evil.address() as AddressInfo).port}`;
  sandbox = await startSandbox({ estate });
  const creds = sandboxCredentialsFor(home.id);
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: creds.accessKeyId,
    AWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
    AWS_REGION: "us-east-1",
    AWS_MAX_ATTEMPTS: "1",
  });
  for (const v of [
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_KMS",
    "AWS_ENDPOINT_URL_STS",
    "INSIGHTS_SANDBOX_URL",
  ])
    delete process.env[v];
  worker = await startWorker(db.prisma, db.url, { schedule: false });
}, 60_000);

afterEach(() => {
  delete process.env.INSIGHTS_ALLOWED_ENDPOINT_HOSTS;
  delete process.env.AWS_ENDPOINT_URL_KMS;
  delete process.env.AWS_ENDPOINT_URL_STS;
});

afterAll(async () => {
  await worker?.stop();
  await sandbox?.stop();
  await new Promise((resolve) => evil?.close(resolve));
  process.env = savedEnv;
});

describe("an account endpoint outside the allowed hosts", () => {
  it("is refused when an account is added or edited, with the message on the endpoint field", async () => {
    for (const endpointUrl of [evilUrl, "https://kms.us-east-1.amazonaws.com.evil.example"]) {
      const adding = addAccount(db.prisma, {
        id: "111111111111",
        name: "Evil",
        regions: ["us-east-1"],
        endpointUrl,
      });
      await expect(adding).rejects.toThrow(NOT_ALLOWED);
      await expect(adding).rejects.toSatisfy(
        (e: AccountError) =>
          e instanceof AccountError && NOT_ALLOWED.test(e.fieldErrors.endpointUrl?.[0] ?? ""),
      );
    }
    expect(await db.prisma.awsAccount.count({ where: { id: "111111111111" } })).toBe(0);

    await addAccount(db.prisma, { id: "222222222222", name: "Plain", regions: ["us-east-1"] });
    await expect(
      updateAccount(db.prisma, {
        id: "222222222222",
        name: "Plain",
        regions: ["us-east-1"],
        endpointUrl: evilUrl,
      }),
    ).rejects.toThrow(NOT_ALLOWED);
    const stored = await db.prisma.awsAccount.findUniqueOrThrow({ where: { id: "222222222222" } });
    expect(stored.endpointUrl).toBeNull();
    await db.prisma.awsAccount.delete({ where: { id: "222222222222" } });
    expect(evilRequests).toEqual([]);
  });

  it("stored before the list existed: Test access and scans fail with the message, and nothing reaches the host", async () => {
    // Written straight to the table, as an account saved by an older version would be.
    await db.prisma.awsAccount.create({
      data: { id: home.id, name: "Own credentials", regions: ["us-east-1"], endpointUrl: evilUrl },
    });
    await db.prisma.awsAccount.create({
      data: {
        id: viaRole.id,
        name: "Role",
        regions: ["us-east-1"],
        accessMethod: "ROLE",
        roleArn: viaRole.role!.roleArn,
        endpointUrl: evilUrl,
      },
    });
    try {
      for (const id of [home.id, viaRole.id]) {
        const result = await testAccountAccess(db.prisma, id);
        expect(result.ok).toBe(false);
        expect(result.message).toMatch(NOT_ALLOWED);
      }
      const scan = await scanAndWait(db.prisma, worker, { accountIds: [home.id, viaRole.id] });
      expect(scan.status).toBe("FAILED");
      expect(scan.targets).toHaveLength(2);
      for (const t of scan.targets) expect(t.error).toMatch(NOT_ALLOWED);
      expect(evilRequests).toEqual([]);
    } finally {
      await db.prisma.awsAccount.deleteMany({ where: { id: { in: [home.id, viaRole.id] } } });
    }
  });
});

describe("allowed endpoints", () => {
  it("are AWS's in every partition, the hosts in INSIGHTS_ALLOWED_ENDPOINT_HOSTS and the SDK's own", async () => {
    for (const [i, endpointUrl] of [
      "https://kms.eu-west-1.amazonaws.com",
      "https://kms.cn-north-1.amazonaws.com.cn",
      "https://kms.us-east-1.api.aws",
    ].entries()) {
      const account = await addAccount(db.prisma, {
        id: `33333333333${i}`,
        name: `AWS ${i}`,
        regions: ["us-east-1"],
        endpointUrl,
      });
      expect(account.endpointUrl).toBe(endpointUrl);
    }
    await db.prisma.awsAccount.deleteMany({ where: { id: { startsWith: "33333333333" } } });
    const host = new URL(sandbox.url).host;
    process.env.INSIGHTS_ALLOWED_ENDPOINT_HOSTS = `kms.internal.example, ${host}`;
    await addAccount(db.prisma, {
      id: home.id,
      name: "Home",
      regions: ["us-east-1"],
      endpointUrl: sandbox.url,
    });
    try {
      const result = await testAccountAccess(db.prisma, home.id);
      expect(result).toMatchObject({ ok: true, reachedAccount: home.id });
      const scan = await scanAndWait(db.prisma, worker, { accountIds: [home.id] });
      expect(scan.status, JSON.stringify(scan.targets.map((t) => t.error))).toBe("SUCCEEDED");
      expect(scan.targets[0]!.keysSeen).toBeGreaterThan(0);

      // The same endpoint, unlisted, is allowed while the operator points the SDK at it.
      delete process.env.INSIGHTS_ALLOWED_ENDPOINT_HOSTS;
      expect((await testAccountAccess(db.prisma, home.id)).message).toMatch(NOT_ALLOWED);
      process.env.AWS_ENDPOINT_URL_KMS = sandbox.url;
      process.env.AWS_ENDPOINT_URL_STS = sandbox.url;
      expect(await testAccountAccess(db.prisma, home.id)).toMatchObject({ ok: true });
    } finally {
      await db.prisma.awsAccount.delete({ where: { id: home.id } });
    }
    expect(evilRequests).toEqual([]);
  });
});
