import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addAccount } from "@/lib/accounts/service";
import { accountAccess } from "@/lib/collector/run-target";
import { useFreshDatabase } from "@/test/db";
import { kmsSandboxFixture } from "@/test/support/secrets-sandbox";
import { DecryptError, recordContext } from "./encrypter";
import { getEncrypter } from "./index";
import { KMS_PREFIX, KmsEnvelopeEncrypter } from "./kms";

let fx: Awaited<ReturnType<typeof kmsSandboxFixture>>;
const db = useFreshDatabase();
let kms: KmsEnvelopeEncrypter;

beforeAll(async () => {
  fx = await kmsSandboxFixture();
  process.env.INSIGHTS_KMS_KEY_ID = fx.key.Arn;
  kms = new KmsEnvelopeEncrypter(fx.key.Arn);
});
afterAll(async () => {
  delete process.env.INSIGHTS_KMS_KEY_ID;
  await fx?.stop();
});

const ctxA = recordContext("aws_accounts", "111111111111", "external_id");
const ctxB = recordContext("aws_accounts", "222222222222", "external_id");

describe("KmsEnvelopeEncrypter, through the AWS SDK against the sandbox", () => {
  it("round-trips, and each ciphertext carries the ARN of the key that made it", async () => {
    const cipher = await kms.encrypt("external-id-1", ctxA);
    const parts = cipher.split(":");
    expect(parts).toHaveLength(7);
    expect(`${parts[0]}:${parts[1]}`).toBe(KMS_PREFIX);
    expect(Buffer.from(parts[2]!, "base64url").toString()).toBe(fx.key.Arn);
    expect(cipher).not.toContain("external-id-1");
    expect(await kms.decrypt(cipher, ctxA)).toBe("external-id-1");
  });

  it("takes a bare key id with the SDK's default region, and still stores the full ARN", async () => {
    const byId = new KmsEnvelopeEncrypter(fx.key.KeyId);
    const cipher = await byId.encrypt("external-id-2", ctxA);
    expect(Buffer.from(cipher.split(":")[2]!, "base64url").toString()).toBe(fx.key.Arn);
    expect(await kms.decrypt(cipher, ctxA)).toBe("external-id-2");
  });

  it("refuses another record's context, or another application's, with a clear error", async () => {
    const cipher = await kms.encrypt("external-id-3", ctxA);
    await expect(kms.decrypt(cipher, ctxB)).rejects.toThrow(
      new DecryptError(
        "the external_id of aws_accounts/222222222222 does not decrypt under its KMS encryption context: it " +
          "was copied from another record or service, or altered. To fix it, enter the value again (for an " +
          "account's external id: edit the account).",
      ),
    );
    await expect(kms.decrypt(cipher, { ...ctxA, app: "another-service" })).rejects.toBeInstanceOf(
      DecryptError,
    );
  });

  it("notices a body altered after encryption", async () => {
    const parts = (await kms.encrypt("external-id-4", ctxA)).split(":");
    parts[6] = Buffer.from("external-id-5").toString("base64url");
    await expect(kms.decrypt(parts.join(":"), ctxA)).rejects.toThrow(/was altered after it was encrypted/);
  });

  it("says which key and permission a refused Decrypt needs", async () => {
    const cipher = await kms.encrypt("external-id-6", ctxA);
    fx.sandbox.setFaults({ accessDenied: { operations: ["Decrypt"] } });
    try {
      await expect(kms.decrypt(cipher, ctxA)).rejects.toThrow(
        new RegExp(
          `KMS could not decrypt the external_id of aws_accounts/111111111111 with key ${fx.key.Arn} \\(AccessDeniedException: .*\\)\\. Let the console's AWS credentials use kms:Decrypt on that key`,
        ),
      );
    } finally {
      fx.sandbox.setFaults({});
    }
  });

  it("says why a key cannot encrypt", async () => {
    await expect(new KmsEnvelopeEncrypter(fx.disabledKey.Arn).encrypt("v", ctxA)).rejects.toThrow(
      `KMS key ${fx.disabledKey.Arn} (INSIGHTS_KMS_KEY_ID) could not make a data key: DisabledException`,
    );
  });
});

describe("stored external ids, with INSIGHTS_KMS_KEY_ID set", () => {
  const roleArn = (id: string) => `arn:aws:iam::${id}:role/KmsInsightsReadOnly`;
  const longId = `${"Ab3+=,.@:/-_".repeat(102)}`; // 1224 characters: the longest STS accepts
  const add = (id: string, externalId: string) =>
    addAccount(db.prisma, {
      id,
      name: `Account ${id}`,
      regions: ["eu-west-1"],
      accessMethod: "ROLE",
      roleArn: roleArn(id),
      externalId,
    });

  it("are encrypted by KMS (getEncrypter follows the variable)", async () => {
    expect((await getEncrypter()).keyId).toBe(fx.key.Arn);
  });

  it("round-trip a 1224-character value through the database unchanged", async () => {
    expect(longId).toHaveLength(1224);
    await add("333333333333", longId);
    const stored = await db.prisma.$queryRaw<{ external_id_cipher: string }[]>`
      SELECT external_id_cipher FROM aws_accounts WHERE id = '333333333333'`;
    expect(stored[0]!.external_id_cipher.startsWith(`${KMS_PREFIX}:`)).toBe(true);
    expect(stored[0]!.external_id_cipher.length).toBeGreaterThan(1224);
    expect((await accountAccess(db.prisma, "333333333333"))?.externalId).toBe(longId);
  });

  it("do not decrypt when a ciphertext is copied to another account's row", async () => {
    await add("444444444444", "external-id-of-444");
    await add("555555555555", "external-id-of-555");
    await db.prisma.$executeRaw`
      UPDATE aws_accounts SET external_id_cipher = (SELECT external_id_cipher FROM aws_accounts WHERE id = '444444444444')
      WHERE id = '555555555555'`;
    await expect(accountAccess(db.prisma, "555555555555")).rejects.toThrow(
      /the external_id of aws_accounts\/555555555555 does not decrypt under its KMS encryption context/,
    );
    expect((await accountAccess(db.prisma, "444444444444"))?.externalId).toBe("external-id-of-444");
  });

  it("appear nowhere in plaintext in a dump of every row of every table", async () => {
    const secret = "plaintext-external-id-that-must-never-be-stored";
    await add("666666666666", secret);
    const tables = await db.prisma.$queryRaw<{ schema: string; name: string }[]>`
      SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
      WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')`;
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(["aws_accounts", "audit_log", "users"]));
    let dump = "";
    for (const t of tables) {
      // Each whole row as text: every column, whatever its type (text, json, arrays).
      const rows = await db.prisma.$queryRawUnsafe<{ row: string }[]>(
        `SELECT t::text AS row FROM "${t.schema}"."${t.name}" t`,
      );
      dump += rows.map((r) => r.row).join("\n");
    }
    expect(dump).toContain(roleArn("666666666666")); // the dump does hold the account's row
    expect(dump).not.toContain(secret);
    expect(dump).not.toContain(longId);
    expect(dump).not.toContain(Buffer.from(secret).toString("base64"));
  });
});
