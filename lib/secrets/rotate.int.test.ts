import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { useFreshDatabase } from "@/test/db";
import { runCli } from "@/test/support/cli";
import { kmsSandboxFixture } from "@/test/support/secrets-sandbox";
import { recordContext, type Encrypter } from "./encrypter";
import { createEncrypter } from "./index";
import { KMS_PREFIX } from "./kms";
import { localKeyId, parseLocalKey } from "./local";
import { rotateSecrets } from "./rotate";

let fx: Awaited<ReturnType<typeof kmsSandboxFixture>>;
const db = useFreshDatabase();
const A = randomBytes(32).toString("base64");
const B = randomBytes(32).toString("base64");
const IDS = ["111111111111", "222222222222", "333333333333"];
const plain = (id: string) => `external-id-of-${id}-${"x".repeat(1100)}`;
const ctx = (id: string) => recordContext("aws_accounts", id, "external_id");

beforeAll(async () => {
  fx = await kmsSandboxFixture();
});
afterAll(async () => {
  await fx?.stop();
});

const local = (keys: string) => createEncrypter({ encryptionKeys: keys, dataDir: fx.dataDir });
const kmsOnly = () => createEncrypter({ kmsKeyId: fx.key.Arn, dataDir: fx.dataDir });

/** Accounts with external ids encrypted by `enc`, and one without an external id. */
async function seed(enc: Encrypter) {
  await db.prisma.awsAccount.deleteMany();
  for (const id of IDS) {
    const externalIdCipher = await enc.encrypt(plain(id), ctx(id));
    await db.prisma.awsAccount.create({ data: { id, name: id, regions: ["eu-west-1"], externalIdCipher } });
  }
  await db.prisma.awsAccount.create({
    data: { id: "999999999999", name: "no secret", regions: ["eu-west-1"] },
  });
}

const ciphers = async () =>
  (await db.prisma.awsAccount.findMany({ where: { id: { in: IDS } }, orderBy: { id: "asc" } })).map(
    (a) => a.externalIdCipher!,
  );

async function readable(enc: Encrypter): Promise<boolean[]> {
  const all = await ciphers();
  return Promise.all(
    all.map((c, i) =>
      enc.decrypt(c, ctx(IDS[i]!)).then(
        (p) => p === plain(IDS[i]!),
        () => false,
      ),
    ),
  );
}

describe("rotateSecrets", () => {
  beforeEach(() => db.prisma.awsAccount.deleteMany());

  it("rotates a remediation external id too, in its own context, audited as its own record", async () => {
    const fixCtx = recordContext("aws_accounts", IDS[0]!, "remediation_external_id");
    const remediationExternalIdCipher = await (await local(A)).encrypt("fix-secret", fixCtx);
    await db.prisma.awsAccount.create({
      data: { id: IDS[0]!, name: "fixable", regions: ["eu-west-1"], remediationExternalIdCipher },
    });
    const report = await rotateSecrets(db.prisma, await local(`${B},${A}`));
    expect(report).toMatchObject({ total: 1, rotated: 1, failed: [] });
    const row = await db.prisma.awsAccount.findUniqueOrThrow({ where: { id: IDS[0]! } });
    expect(await (await local(B)).decrypt(row.remediationExternalIdCipher!, fixCtx)).toBe("fix-secret");
    expect(row.externalIdCipher).toBeNull();
    const entry = await db.prisma.auditLog.findFirstOrThrow({
      where: { action: "secret.rotate" },
      orderBy: { id: "desc" },
    });
    expect(entry.target).toBe(`aws_accounts/${IDS[0]}/remediation_external_id`);
  });

  it("rotates an organization's external ids (its management access's and the member role's)", async () => {
    const id = "org-rotate-test";
    const own = recordContext("organizations", id, "external_id");
    const member = recordContext("organizations", id, "member_external_id");
    const a = await local(A);
    await db.prisma.organization.create({
      data: {
        id,
        name: "Acme",
        accessMethod: "ROLE",
        roleArn: "arn:aws:iam::111111111111:role/OrgReader",
        externalIdCipher: await a.encrypt("mgmt-secret", own),
        memberRoleName: "KmsInsightsReadOnly",
        memberExternalIdCipher: await a.encrypt("member-secret", member),
      },
    });
    const report = await rotateSecrets(db.prisma, await local(`${B},${A}`));
    expect(report).toMatchObject({ total: 2, rotated: 2, failed: [] });
    const row = await db.prisma.organization.findUniqueOrThrow({ where: { id } });
    expect(await (await local(B)).decrypt(row.externalIdCipher!, own)).toBe("mgmt-secret");
    expect(await (await local(B)).decrypt(row.memberExternalIdCipher!, member)).toBe("member-secret");
    const targets = (await db.prisma.auditLog.findMany({ where: { action: "secret.rotate" } })).map(
      (e) => e.target,
    );
    expect(targets).toEqual(
      expect.arrayContaining([`organizations/${id}`, `organizations/${id}/member_external_id`]),
    );
    await db.prisma.organization.delete({ where: { id } });
  });

  it("moves every value from local key A to B (INSIGHTS_ENCRYPTION_KEY=B,A); then B alone reads them", async () => {
    await seed(await local(A));
    expect(await readable(await local(B))).toEqual([false, false, false]);
    const report = await rotateSecrets(db.prisma, await local(`${B},${A}`));
    expect(report).toEqual({ keyId: localKeyId(parseLocalKey(B)), total: 3, rotated: 3, failed: [] });
    expect(await readable(await local(B))).toEqual([true, true, true]);
    expect((await ciphers()).every((c) => c.startsWith(`local:v1:${localKeyId(parseLocalKey(B))}:`))).toBe(
      true,
    );
  });

  it("moves every value from a local key to KMS; then KMS alone reads them", async () => {
    await seed(await local(A));
    expect(await readable(await kmsOnly())).toEqual([false, false, false]);
    const current = await createEncrypter({ kmsKeyId: fx.key.Arn, encryptionKeys: A, dataDir: fx.dataDir });
    expect(await rotateSecrets(db.prisma, current)).toMatchObject({
      keyId: fx.key.Arn,
      rotated: 3,
      failed: [],
    });
    expect((await ciphers()).every((c) => c.startsWith(`${KMS_PREFIX}:`))).toBe(true);
    expect(await readable(await kmsOnly())).toEqual([true, true, true]);
    expect(await readable(await local(A))).toEqual([true, true, true]); // KMS values stay readable after a switch back
  });

  it("reports a value it cannot read, leaves it as it was, and rotates the others", async () => {
    await seed(await local(A));
    await db.prisma.awsAccount.update({
      where: { id: IDS[1] },
      data: { externalIdCipher: "local:v1:truncat" },
    });
    const report = await rotateSecrets(db.prisma, await local(`${B},${A}`));
    expect(report).toMatchObject({ total: 3, rotated: 2 });
    expect(report.failed).toEqual([
      {
        record: `aws_accounts/${IDS[1]}`,
        error: expect.stringMatching(
          /^the external_id of aws_accounts\/222222222222 is not a complete local ciphertext/,
        ),
      },
    ]);
    expect((await ciphers())[1]).toBe("local:v1:truncat");
  });
});

const cli = (args: string[], env: Record<string, string>) =>
  runCli(args, { env: { ...env, DATABASE_URL: db.url } });

describe("npm run cli -- secrets rotate", () => {
  it("rotates to the first local key, reports the count and is audited", async () => {
    await seed(await local(A));
    const result = await cli(["secrets", "rotate"], {
      INSIGHTS_ENCRYPTION_KEY: `${B},${A}`,
      INSIGHTS_KMS_KEY_ID: "",
    });
    expect(result).toMatchObject({ code: 0, stdout: "" });
    expect(result.stderr.trim()).toBe(
      `Re-encrypted 3 of 3 stored secret(s) with key ${localKeyId(parseLocalKey(B))}.`,
    );
    expect(await readable(await local(B))).toEqual([true, true, true]);
    const entry = await db.prisma.auditLog.findFirstOrThrow({
      where: { action: "secrets.rotate" },
      orderBy: { id: "desc" },
    });
    expect(entry).toMatchObject({ actorEmail: "cli", details: { total: 3, rotated: 3, failed: [] } });
  });

  it("rotates to KMS when INSIGHTS_KMS_KEY_ID is set, through the SDK's own endpoint and credentials", async () => {
    await seed(await local(A));
    const result = await cli(["secrets", "rotate"], {
      ...fx.env,
      INSIGHTS_KMS_KEY_ID: fx.key.Arn,
      INSIGHTS_ENCRYPTION_KEY: A,
    });
    expect(result).toMatchObject({ code: 0, stdout: "" });
    expect(result.stderr.trim()).toBe(`Re-encrypted 3 of 3 stored secret(s) with key ${fx.key.Arn}.`);
    expect(await readable(await kmsOnly())).toEqual([true, true, true]);
  });

  it("exits 1 and names the value when one cannot be decrypted", async () => {
    await seed(await local(A));
    const result = await cli(["secrets", "rotate"], { INSIGHTS_ENCRYPTION_KEY: B, INSIGHTS_KMS_KEY_ID: "" });
    expect(result).toMatchObject({ code: 1, stdout: "" });
    expect(result.stderr.trim().split("\n").at(-1)).toBe(
      `Re-encrypted 0 of 3 stored secret(s) with key ${localKeyId(parseLocalKey(B))}; 3 failed (see above).`,
    );
    expect(result.stderr).toContain(
      `aws_accounts/${IDS[0]}: the external_id of aws_accounts/${IDS[0]} was encrypted with local key ${localKeyId(parseLocalKey(A))}, which is not configured`,
    );
  });

  it("refuses a malformed key in one line, exit 2", async () => {
    const result = await cli(["secrets", "rotate"], {
      INSIGHTS_ENCRYPTION_KEY: `${B},not-a-key`,
      INSIGHTS_KMS_KEY_ID: "",
    });
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(
      "error: INSIGHTS_ENCRYPTION_KEY, key 2: An encryption key must be 32 bytes, base64-encoded (openssl rand -base64 32).",
    );
  });
});
