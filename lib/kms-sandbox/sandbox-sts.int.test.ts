import { KMSClient, ListKeysCommand, paginateListKeys } from "@aws-sdk/client-kms";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authorization, stsClient } from "@/test/support/kms-sandbox";
import { sandboxClientConfig } from "./client-config";
import { sandboxCredentialsFor } from "./credentials";
import { generateEstate, keysIn, type Estate, type SandboxAccount } from "./estate";
import { startSandbox, type RunningSandbox } from "./server";

let sandbox: RunningSandbox;
let estate: Estate;
let hub: SandboxAccount;
let sts: STSClient;

beforeAll(async () => {
  sandbox = await startSandbox({
    estate: generateEstate({ accounts: 5, regions: ["us-east-1", "eu-west-1"], keysPerRegion: 12, seed: 5 }),
  });
  estate = sandbox.estate;
  hub = estate.accounts[0]!;
  sts = stsClient(sandbox, hub.id);
});

afterAll(async () => {
  sts?.destroy();
  await sandbox?.stop();
});

const withExternalId = () => estate.accounts.find((a, i) => i > 0 && a.role?.externalId)!;
const withoutExternalId = () => estate.accounts.find((a) => a.role && !a.role.externalId)!;

describe("GetCallerIdentity", () => {
  it("names the static user of the account the access key belongs to", async () => {
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    expect(identity).toMatchObject({
      Account: hub.id,
      Arn: `arn:aws:iam::${hub.id}:user/kms-sandbox`,
      UserId: `AIDASBX0${hub.id}`,
    });
  });

  it("rejects an unknown access key with InvalidClientTokenId", async () => {
    const stranger = new STSClient({
      endpoint: sandbox.url,
      region: "us-east-1",
      credentials: sandboxCredentialsFor("999999999999"),
    });
    await expect(stranger.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({
      name: "InvalidClientTokenId",
      $metadata: { httpStatusCode: 403 },
    });
    stranger.destroy();
  });
});

describe("AssumeRole", () => {
  it("hands out one-hour temporary credentials for the role's account when the ExternalId matches", async () => {
    const target = withExternalId();
    const before = Date.now();
    const { Credentials, AssumedRoleUser } = await sts.send(
      new AssumeRoleCommand({
        RoleArn: target.role!.roleArn,
        RoleSessionName: "kms-insights",
        ExternalId: target.role!.externalId,
      }),
    );
    expect(Credentials!.AccessKeyId).toMatch(new RegExp(`^ASIA[0-9A-Z]{4}${target.id}$`));
    expect(Credentials!.SecretAccessKey).toBeTruthy();
    expect(Credentials!.SessionToken!.length).toBeGreaterThan(100);
    const expiresIn = Credentials!.Expiration!.getTime() - before;
    expect(expiresIn).toBeGreaterThan(3590_000);
    expect(expiresIn).toBeLessThanOrEqual(3600_000);
    expect(AssumedRoleUser).toEqual({
      Arn: `arn:aws:sts::${target.id}:assumed-role/KmsInsightsReadOnly/kms-insights`,
      AssumedRoleId: `AROASBX0${target.id}:kms-insights`,
    });
  });

  it("denies a missing or wrong ExternalId and a role that does not exist", async () => {
    const target = withExternalId();
    const assume = (input: Partial<{ RoleArn: string; ExternalId: string }>) =>
      sts.send(new AssumeRoleCommand({ RoleArn: target.role!.roleArn, RoleSessionName: "s0", ...input }));
    await expect(assume({})).rejects.toMatchObject({
      name: "AccessDenied",
      $metadata: { httpStatusCode: 403 },
    });
    await expect(assume({ ExternalId: "not-the-right-one" })).rejects.toMatchObject({ name: "AccessDenied" });
    await expect(
      assume({ RoleArn: `arn:aws:iam::${target.id}:role/NoSuchRole`, ExternalId: target.role!.externalId }),
    ).rejects.toMatchObject({ name: "AccessDenied" });
    const noRole = estate.accounts.find((a) => !a.role)!;
    await expect(
      assume({ RoleArn: `arn:aws:iam::${noRole.id}:role/KmsInsightsReadOnly` }),
    ).rejects.toMatchObject({ name: "AccessDenied" });
  });

  it("validates the ExternalId and session name formats", async () => {
    const target = withExternalId();
    for (const ExternalId of ["x", "has space", "a".repeat(1225)]) {
      await expect(
        sts.send(new AssumeRoleCommand({ RoleArn: target.role!.roleArn, RoleSessionName: "s1", ExternalId })),
        ExternalId.slice(0, 20),
      ).rejects.toMatchObject({ name: "ValidationError", $metadata: { httpStatusCode: 400 } });
    }
    await expect(
      sts.send(
        new AssumeRoleCommand({
          RoleArn: target.role!.roleArn,
          RoleSessionName: "bad name",
          ExternalId: target.role!.externalId,
        }),
      ),
    ).rejects.toMatchObject({ name: "ValidationError" });
  });

  it("needs no ExternalId for a role that does not require one", async () => {
    const target = withoutExternalId();
    const { Credentials } = await sts.send(
      new AssumeRoleCommand({ RoleArn: target.role!.roleArn, RoleSessionName: "s2" }),
    );
    expect(Credentials!.AccessKeyId!.endsWith(target.id)).toBe(true);
  });
});

describe("fromTemporaryCredentials", () => {
  it("reaches the target account's keys and identity through the assumed role", async () => {
    const target = withExternalId();
    const credentials = fromTemporaryCredentials({
      params: {
        RoleArn: target.role!.roleArn,
        ExternalId: target.role!.externalId,
        RoleSessionName: "collector",
      },
      clientConfig: sandboxClientConfig(sandbox.url, hub.id, "us-east-1"),
    });
    const kms = new KMSClient({ endpoint: sandbox.url, region: "eu-west-1", credentials });
    const ids: string[] = [];
    for await (const page of paginateListKeys({ client: kms, pageSize: 5 }, {}))
      ids.push(...page.Keys!.map((k) => k.KeyId!));
    expect(ids).toEqual(keysIn(estate, target.id, "eu-west-1").map((k) => k.metadata.KeyId));
    const asRole = new STSClient({ endpoint: sandbox.url, region: "us-east-1", credentials });
    expect(await asRole.send(new GetCallerIdentityCommand({}))).toMatchObject({
      Account: target.id,
      Arn: `arn:aws:sts::${target.id}:assumed-role/KmsInsightsReadOnly/collector`,
    });
    kms.destroy();
    asRole.destroy();
  });

  it("surfaces AccessDenied when the ExternalId is wrong", async () => {
    const target = withExternalId();
    const kms = new KMSClient({
      endpoint: sandbox.url,
      region: "us-east-1",
      credentials: fromTemporaryCredentials({
        params: {
          RoleArn: target.role!.roleArn,
          ExternalId: "wrong-external-id",
          RoleSessionName: "collector",
        },
        clientConfig: sandboxClientConfig(sandbox.url, hub.id, "us-east-1"),
      }),
    });
    await expect(kms.send(new ListKeysCommand({}))).rejects.toMatchObject({ name: "AccessDenied" });
    kms.destroy();
  });

  it("rejects temporary credentials sent without their session token", async () => {
    const target = withoutExternalId();
    const { Credentials } = await sts.send(
      new AssumeRoleCommand({ RoleArn: target.role!.roleArn, RoleSessionName: "s3" }),
    );
    const kms = new KMSClient({
      endpoint: sandbox.url,
      region: "us-east-1",
      credentials: { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey! },
    });
    await expect(kms.send(new ListKeysCommand({}))).rejects.toMatchObject({
      name: "UnrecognizedClientException",
    });
    kms.destroy();
  });
});

describe("STS wire format", () => {
  it("answers in the 2011-06-15 namespace with a RequestId, and errors as ErrorResponse XML", async () => {
    const post = (body: string) =>
      fetch(`${sandbox.url}/`, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          authorization: authorization(sandboxCredentialsFor(hub.id).accessKeyId, "us-east-1", "sts"),
        },
        body,
      });
    const ok = await post("Action=GetCallerIdentity&Version=2011-06-15");
    const xml = await ok.text();
    expect(ok.headers.get("content-type")).toBe("text/xml");
    expect(xml).toMatch(
      /^<GetCallerIdentityResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/"><GetCallerIdentityResult>/,
    );
    expect(xml).toMatch(/<ResponseMetadata><RequestId>[0-9a-f-]{36}<\/RequestId><\/ResponseMetadata>/);
    const role = withExternalId().role!;
    const denied = await post(
      `Action=AssumeRole&Version=2011-06-15&RoleArn=${encodeURIComponent(role.roleArn)}&RoleSessionName=s0`,
    );
    expect(denied.status).toBe(403);
    expect(await denied.text()).toMatch(
      /^<ErrorResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/"><Error><Type>Sender<\/Type><Code>AccessDenied<\/Code><Message>User: arn:aws:iam::\d{12}:user\/kms-sandbox is not authorized/,
    );
    const badVersion = await post("Action=GetCallerIdentity&Version=2099-01-01");
    expect(badVersion.status).toBe(400);
    expect(await badVersion.text()).toContain("<Code>InvalidAction</Code>");
  });
});
