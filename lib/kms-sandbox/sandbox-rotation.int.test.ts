import {
  DecryptCommand,
  DisableKeyRotationCommand,
  EnableKeyRotationCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GetKeyRotationStatusCommand,
  KMSClient,
  paginateListKeyRotations,
} from "@aws-sdk/client-kms";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AssumeRoleCommand } from "@aws-sdk/client-sts";
import { kmsClient, stsClient } from "@/test/support/kms-sandbox";
import { generateEstate, keysIn, type Estate, type SandboxKey } from "./estate";
import { startSandbox, type RunningSandbox } from "./server";

const now = new Date("2026-11-30T00:00:00Z");
const region = "us-east-1";
let sandbox: RunningSandbox;
let given: Estate;
let estate: Estate;
let accountId: string;
let kms: KMSClient;

beforeAll(async () => {
  given = generateEstate({ accounts: 2, regions: [region, "eu-west-1"], keysPerRegion: 30, seed: 3, now });
  sandbox = await startSandbox({ estate: given });
  estate = sandbox.estate;
  accountId = estate.accounts[0]!.id;
  kms = kmsClient(sandbox, accountId, region);
});

afterAll(async () => {
  kms?.destroy();
  await sandbox?.stop();
});

const key = (scenario: string, inRegion = region): SandboxKey =>
  keysIn(estate, accountId, inRegion).find((k) => k.scenario === scenario)!;
const status = (keyId: string, client = kms) =>
  client.send(new GetKeyRotationStatusCommand({ KeyId: keyId }));

describe("GetKeyRotationStatus", () => {
  it("reports period and next date of enabled keys, and the key ARN", async () => {
    const k = key("rotation-period-730");
    const answer = await status(k.metadata.KeyId);
    expect(answer).toMatchObject({
      KeyRotationEnabled: true,
      KeyId: k.metadata.Arn,
      RotationPeriodInDays: 730,
    });
    expect(answer.NextRotationDate!.getTime()).toBe(k.rotation.nextRotationDate!.getTime());
    expect((await status(key("rotation-enabled-default").metadata.KeyId)).RotationPeriodInDays).toBe(365);
  });

  it("leaves RotationPeriodInDays out when the key has none", async () => {
    const answer = await status(key("rotation-enabled-no-period").metadata.KeyId);
    expect(answer.KeyRotationEnabled).toBe(true);
    expect(answer.RotationPeriodInDays).toBeUndefined();
  });

  it("reads false for keys with rotation off and keys pending deletion, true for AWS managed keys", async () => {
    expect((await status(key("enabled-rotation-off").metadata.KeyId)).KeyRotationEnabled).toBe(false);
    expect((await status(key("disabled-rotation-off").metadata.KeyId)).KeyRotationEnabled).toBe(false);
    expect((await status(key("pending-deletion").metadata.KeyId)).KeyRotationEnabled).toBe(false);
    expect(await status(key("aws-managed").metadata.KeyId)).toMatchObject({
      KeyRotationEnabled: true,
      RotationPeriodInDays: 365,
    });
  });

  it("fails with UnsupportedOperationException for asymmetric, HMAC, imported and custom key store keys", async () => {
    for (const scenario of [
      "asymmetric-rsa",
      "asymmetric-ecc",
      "hmac",
      "sm2",
      "ml-dsa",
      "imported-fresh",
      "cloudhsm",
      "external-key-store",
    ]) {
      await expect(status(key(scenario).metadata.KeyId), scenario).rejects.toMatchObject({
        name: "UnsupportedOperationException",
      });
    }
  });

  it("can answer KeyRotationEnabled false for them instead (unsupportedRotationStatus: disabled)", async () => {
    const lenient = await startSandbox({ estate: given, unsupportedRotationStatus: "disabled" });
    const client = kmsClient(lenient, accountId, region);
    for (const scenario of ["asymmetric-rsa", "hmac", "imported-stale", "cloudhsm"]) {
      expect((await status(key(scenario).metadata.KeyId, client)).KeyRotationEnabled, scenario).toBe(false);
    }
    client.destroy();
    await lenient.stop();
  });

  it("fails with AccessDeniedException for the key whose policy denies it", async () => {
    await expect(status(key("rotation-status-denied").metadata.KeyId)).rejects.toMatchObject({
      name: "AccessDeniedException",
      $metadata: { httpStatusCode: 400 },
    });
  });

  it("does not accept an alias (rotation calls take a key id or key ARN)", async () => {
    const k = keysIn(estate, accountId, region).find(
      (x) => x.aliasNames.length > 0 && x.metadata.KeyManager === "CUSTOMER",
    )!;
    await expect(status(k.aliasNames[0]!)).rejects.toMatchObject({ name: "NotFoundException" });
  });
});

describe("EnableKeyRotation and DisableKeyRotation", () => {
  it("turn rotation on with a period and off again", async () => {
    const k = key("enabled-rotation-off");
    await kms.send(new EnableKeyRotationCommand({ KeyId: k.metadata.KeyId, RotationPeriodInDays: 180 }));
    expect(await status(k.metadata.KeyId)).toMatchObject({
      KeyRotationEnabled: true,
      RotationPeriodInDays: 180,
    });
    expect(k.rotation).toMatchObject({ enabled: true, periodInDays: 180 });
    expect(
      keysIn(given, accountId, region).find((x) => x.metadata.KeyId === k.metadata.KeyId)!.rotation.enabled,
    ).toBe(false);
    await kms.send(new DisableKeyRotationCommand({ KeyId: k.metadata.KeyId }));
    expect((await status(k.metadata.KeyId)).KeyRotationEnabled).toBe(false);
    // Both writes are in the write log, with who made them; refused writes (below) are not.
    const writes = sandbox.writes().filter((w) => w.keyArn === k.metadata.Arn);
    expect(writes.map((w) => [w.eventName, w.requestParameters.RotationPeriodInDays])).toEqual([
      ["EnableKeyRotation", 180],
      ["DisableKeyRotation", undefined],
    ]);
    expect(writes[0]).toMatchObject({ accountId, region, principalArn: expect.stringContaining(accountId) });
  });

  it("mirror the primary's rotation to its replica in the other region", async () => {
    const primary = key("multi-region-primary");
    const replicaClient = kmsClient(sandbox, accountId, "eu-west-1");
    await kms.send(new EnableKeyRotationCommand({ KeyId: primary.metadata.KeyId, RotationPeriodInDays: 90 }));
    expect(await status(primary.metadata.KeyId, replicaClient)).toMatchObject({
      KeyRotationEnabled: true,
      RotationPeriodInDays: 90,
    });
    await expect(
      replicaClient.send(new DisableKeyRotationCommand({ KeyId: primary.metadata.KeyId })),
    ).rejects.toMatchObject({ name: "UnsupportedOperationException" });
    replicaClient.destroy();
  });

  it("validate the period (90 to 2560) and the key", async () => {
    const k = key("rotation-enabled-default");
    for (const period of [89, 2561]) {
      await expect(
        kms.send(new EnableKeyRotationCommand({ KeyId: k.metadata.KeyId, RotationPeriodInDays: period })),
      ).rejects.toMatchObject({ name: "ValidationException" });
    }
    await expect(
      kms.send(new EnableKeyRotationCommand({ KeyId: key("asymmetric-rsa").metadata.KeyId })),
    ).rejects.toMatchObject({ name: "UnsupportedOperationException" });
    await expect(
      kms.send(new EnableKeyRotationCommand({ KeyId: key("disabled-rotation-off").metadata.KeyId })),
    ).rejects.toMatchObject({ name: "DisabledException" });
    await expect(
      kms.send(new EnableKeyRotationCommand({ KeyId: key("pending-deletion").metadata.KeyId })),
    ).rejects.toMatchObject({ name: "KMSInvalidStateException" });
    const refused = new Set([
      k,
      key("asymmetric-rsa"),
      key("disabled-rotation-off"),
      key("pending-deletion"),
    ]);
    expect(sandbox.writes().filter((w) => [...refused].some((r) => r.metadata.Arn === w.keyArn))).toEqual([]);
  });
});

describe("write access by role", () => {
  const assume = async (roleArn: string, externalId: string | undefined) => {
    const sts = stsClient(sandbox, accountId, region);
    const { Credentials } = await sts.send(
      new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "kms-insights", ExternalId: externalId }),
    );
    sts.destroy();
    return kmsClient(sandbox, accountId, region, {
      maxAttempts: 1,
      credentials: {
        accessKeyId: Credentials!.AccessKeyId!,
        secretAccessKey: Credentials!.SecretAccessKey!,
        sessionToken: Credentials!.SessionToken!,
      },
    });
  };

  it("refuses writes from the read-only role and allows them from the remediation role", async () => {
    const account = estate.accounts[0]!;
    const k = key("enabled-rotation-off");
    const readOnly = await assume(account.role!.roleArn, account.role!.externalId);
    const before = sandbox.writes().length;
    for (const command of [
      new EnableKeyRotationCommand({ KeyId: k.metadata.KeyId }),
      new DisableKeyRotationCommand({ KeyId: k.metadata.KeyId }),
    ]) {
      await expect(readOnly.send(command as EnableKeyRotationCommand)).rejects.toMatchObject({
        name: "AccessDeniedException",
        message: `User: arn:aws:sts::${accountId}:assumed-role/KmsInsightsReadOnly/kms-insights is not authorized to perform: kms:${command.constructor.name.replace("Command", "")} on resource: ${k.metadata.Arn} because no identity-based policy allows the kms:${command.constructor.name.replace("Command", "")} action`,
      });
    }
    expect((await status(k.metadata.KeyId, readOnly)).KeyRotationEnabled).toBe(false);
    expect(sandbox.writes().length).toBe(before);

    const remediation = account.remediationRole!;
    expect(remediation.roleArn).toBe(`arn:aws:iam::${accountId}:role/KmsInsightsRemediation`);
    expect(remediation.externalId).toBe(account.role!.externalId);
    const writer = await assume(remediation.roleArn, remediation.externalId);
    await writer.send(new EnableKeyRotationCommand({ KeyId: k.metadata.KeyId, RotationPeriodInDays: 365 }));
    expect((await status(k.metadata.KeyId, readOnly)).KeyRotationEnabled).toBe(true);
    expect(sandbox.writes().at(-1)).toMatchObject({
      eventName: "EnableKeyRotation",
      principalArn: `arn:aws:sts::${accountId}:assumed-role/KmsInsightsRemediation/kms-insights`,
    });
    await writer.send(new DisableKeyRotationCommand({ KeyId: k.metadata.KeyId }));
    readOnly.destroy();
    writer.destroy();
  });

  it("lists both roles of an account at /__sandbox/accounts", async () => {
    const listed = (await (await fetch(`${sandbox.url}/__sandbox/accounts`)).json()) as {
      id: string;
      role: { roleArn: string } | null;
      remediationRole: { roleArn: string; externalId?: string; canWrite: boolean } | null;
    }[];
    const account = estate.accounts[0]!;
    expect(listed.find((a) => a.id === accountId)).toMatchObject({
      role: { roleArn: account.role!.roleArn },
      remediationRole: {
        roleArn: `arn:aws:iam::${accountId}:role/KmsInsightsRemediation`,
        externalId: account.role!.externalId,
        canWrite: true,
      },
    });
  });

  it("accepts accessDenied.keys over HTTP and refuses a malformed one", async () => {
    const post = (faults: unknown) =>
      fetch(`${sandbox.url}/__sandbox/faults`, { method: "POST", body: JSON.stringify(faults) });
    try {
      const arn = key("rotation-enabled-default").metadata.Arn;
      const set = await post({ accessDenied: { keys: [arn] } });
      expect(await set.json()).toEqual({ accessDenied: { keys: [arn] } });
      for (const bad of [{ keys: "x" }, { keys: [""] }, { keys: [1] }])
        expect((await post({ accessDenied: bad })).status).toBe(400);
    } finally {
      sandbox.setFaults({});
    }
  });

  it("denies every call on the keys of the accessDenied.keys fault, by id or ARN", async () => {
    const denied = key("rotation-enabled-default");
    const other = key("rotation-period-730");
    sandbox.setFaults({ accessDenied: { keys: [denied.metadata.Arn] } });
    try {
      const client = kmsClient(sandbox, accountId, region, { maxAttempts: 1 });
      await expect(status(denied.metadata.KeyId, client)).rejects.toMatchObject({
        name: "AccessDeniedException",
        message: expect.stringContaining(`on resource: ${denied.metadata.Arn}`),
      });
      await expect(
        client.send(new EnableKeyRotationCommand({ KeyId: denied.metadata.KeyId })),
      ).rejects.toMatchObject({ name: "AccessDeniedException" });
      expect((await status(other.metadata.KeyId, client)).KeyRotationEnabled).toBe(true);
      sandbox.setFaults({
        accessDenied: { keys: [other.metadata.KeyId], operations: ["EnableKeyRotation"] },
      });
      expect((await status(other.metadata.KeyId, client)).KeyRotationEnabled).toBe(true);
      await expect(
        client.send(new EnableKeyRotationCommand({ KeyId: other.metadata.Arn })),
      ).rejects.toMatchObject({ name: "AccessDeniedException" });
      client.destroy();
    } finally {
      sandbox.setFaults({});
    }
  });
});

describe("ListKeyRotations", () => {
  it("lists imported material rotations (on demand) across pages", async () => {
    const k = key("imported-stale");
    const rotations = [];
    for await (const page of paginateListKeyRotations(
      { client: kms, pageSize: 1 },
      { KeyId: k.metadata.KeyId },
    ))
      rotations.push(...page.Rotations!);
    expect(rotations.map((r) => r.RotationDate!.getTime())).toEqual(
      k.rotations.map((r) => r.RotationDate.getTime()),
    );
    expect(rotations.every((r) => r.RotationType === "ON_DEMAND" && r.KeyId === k.metadata.KeyId)).toBe(true);
    expect(rotations.at(-1)!.KeyMaterialState).toBe("CURRENT");
  });

  it("lists automatic rotations of an old key with rotation on", async () => {
    const k = key("rotation-enabled-no-period");
    const rotations = [];
    for await (const page of paginateListKeyRotations({ client: kms }, { KeyId: k.metadata.KeyId }))
      rotations.push(...page.Rotations!);
    expect(rotations.length).toBeGreaterThanOrEqual(5);
    expect(rotations.every((r) => r.RotationType === "AUTOMATIC")).toBe(true);
  });
});

describe("envelope encryption", () => {
  const context = { tenant: "acme", purpose: "export" };

  it("GenerateDataKey gives a 32-byte key that Decrypt returns under the same context", async () => {
    const k = key("rotation-enabled-default");
    const dataKey = await kms.send(
      new GenerateDataKeyCommand({ KeyId: k.metadata.KeyId, KeySpec: "AES_256", EncryptionContext: context }),
    );
    expect(dataKey.Plaintext).toHaveLength(32);
    expect(dataKey.KeyId).toBe(k.metadata.Arn);
    const decrypted = await kms.send(
      new DecryptCommand({
        CiphertextBlob: dataKey.CiphertextBlob,
        EncryptionContext: { purpose: "export", tenant: "acme" },
      }),
    );
    expect(Buffer.from(decrypted.Plaintext!)).toEqual(Buffer.from(dataKey.Plaintext!));
    expect(decrypted.KeyId).toBe(k.metadata.Arn);
  });

  it("fails with InvalidCiphertextException when the context differs or is missing", async () => {
    const k = key("rotation-enabled-default");
    const { CiphertextBlob } = await kms.send(
      new GenerateDataKeyCommand({ KeyId: k.metadata.KeyId, KeySpec: "AES_256", EncryptionContext: context }),
    );
    for (const other of [{ ...context, tenant: "evil" }, {}, undefined]) {
      await expect(
        kms.send(new DecryptCommand({ CiphertextBlob, EncryptionContext: other })),
      ).rejects.toMatchObject({ name: "InvalidCiphertextException" });
    }
  });

  it("Encrypt and Decrypt round-trip by alias, and other accounts cannot decrypt", async () => {
    const k = keysIn(estate, accountId, region).find(
      (x) =>
        x.scenario === "mix" &&
        x.metadata.KeyState === "Enabled" &&
        x.metadata.KeySpec === "SYMMETRIC_DEFAULT" &&
        x.metadata.Origin === "AWS_KMS" &&
        x.metadata.KeyManager === "CUSTOMER" &&
        x.aliasNames.length > 0,
    )!;
    const { CiphertextBlob } = await kms.send(
      new EncryptCommand({ KeyId: k.aliasNames[0], Plaintext: Buffer.from("secret") }),
    );
    const { Plaintext } = await kms.send(new DecryptCommand({ CiphertextBlob, KeyId: k.metadata.Arn }));
    expect(Buffer.from(Plaintext!).toString()).toBe("secret");
    await expect(
      kms.send(new DecryptCommand({ CiphertextBlob, KeyId: key("rotation-enabled-default").metadata.KeyId })),
    ).rejects.toMatchObject({ name: "IncorrectKeyException" });
    const stranger = kmsClient(sandbox, estate.accounts[1]!.id, region);
    await expect(stranger.send(new DecryptCommand({ CiphertextBlob }))).rejects.toMatchObject({
      name: "NotFoundException",
    });
    stranger.destroy();
  });

  it("refuses keys that cannot encrypt", async () => {
    const generate = (scenario: string) =>
      kms.send(new GenerateDataKeyCommand({ KeyId: key(scenario).metadata.KeyId, KeySpec: "AES_256" }));
    await expect(generate("disabled-rotation-off")).rejects.toMatchObject({ name: "DisabledException" });
    await expect(generate("asymmetric-rsa")).rejects.toMatchObject({ name: "InvalidKeyUsageException" });
    await expect(generate("pending-deletion")).rejects.toMatchObject({ name: "KMSInvalidStateException" });
    await expect(
      kms.send(new DecryptCommand({ CiphertextBlob: Buffer.from("garbage-bytes") })),
    ).rejects.toMatchObject({ name: "InvalidCiphertextException" });
  });
});
