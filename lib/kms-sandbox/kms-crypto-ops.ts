import { randomBytes } from "node:crypto";
import type { SandboxKey } from "./estate-types";
import type { EncryptionContext } from "./envelope-crypto";
import { KmsError, invalidState, notFound, serialization, validation } from "./kms-errors";
import { keyAccessDenied, resolve, type KmsCallContext, type KmsHandler } from "./kms-context";

function readContext(value: unknown): EncryptionContext {
  if (value === undefined || value === null) return {};
  if (typeof value !== "object" || Array.isArray(value))
    throw serialization("EncryptionContext must be a map of strings");
  for (const entry of Object.values(value))
    if (typeof entry !== "string") throw serialization("EncryptionContext values must be strings");
  return value as EncryptionContext;
}

function readBlob(value: unknown, field: string, maxBytes: number): Buffer {
  if (value === undefined || value === null) {
    throw validation(
      `1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`,
    );
  }
  if (typeof value !== "string" || !/^[A-Za-z0-9+/]*={0,2}$/.test(value))
    throw serialization(`${field} must be base64`);
  const bytes = Buffer.from(value, "base64");
  if (bytes.length < 1 || bytes.length > maxBytes) {
    throw validation(
      `1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must have length between 1 and ${maxBytes}`,
    );
  }
  return bytes;
}

/** Only enabled symmetric customer keys may be used directly for cryptography. */
function assertUsable(ctx: KmsCallContext, key: SandboxKey): void {
  const m = key.metadata;
  if (m.KeyManager === "AWS") {
    throw keyAccessDenied(ctx, key, "because the key policy allows it only through an AWS service");
  }
  if (m.KeySpec !== "SYMMETRIC_DEFAULT" || m.KeyUsage !== "ENCRYPT_DECRYPT") {
    throw new KmsError(
      "InvalidKeyUsageException",
      `${m.Arn} key usage is ${m.KeyUsage} which is not valid for ${ctx.operation}.`,
    );
  }
  if (m.KeyState === "Disabled") throw new KmsError("DisabledException", `${m.Arn} is disabled.`);
  if (m.KeyState !== "Enabled")
    throw invalidState(`${m.Arn} is ${m.KeyState === "PendingDeletion" ? "pending deletion" : m.KeyState}.`);
}

function dataKeyLength(input: Record<string, unknown>): number {
  const { KeySpec, NumberOfBytes } = input;
  if (KeySpec !== undefined && NumberOfBytes !== undefined)
    throw validation("Please specify either number of bytes or key spec, not both.");
  if (KeySpec === "AES_256") return 32;
  if (KeySpec === "AES_128") return 16;
  if (KeySpec !== undefined) {
    throw validation(
      `1 validation error detected: Value '${String(KeySpec)}' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: [AES_256, AES_128]`,
    );
  }
  if (NumberOfBytes === undefined) throw validation("Please specify either number of bytes or key spec.");
  if (
    typeof NumberOfBytes !== "number" ||
    !Number.isInteger(NumberOfBytes) ||
    NumberOfBytes < 1 ||
    NumberOfBytes > 1024
  ) {
    throw validation(
      "1 validation error detected: Value at 'numberOfBytes' failed to satisfy constraint: Member must have value between 1 and 1024",
    );
  }
  return NumberOfBytes;
}

export const generateDataKey: KmsHandler = (ctx, input) => {
  const key = resolve(ctx, input.KeyId, true);
  const length = dataKeyLength(input);
  const context = readContext(input.EncryptionContext);
  assertUsable(ctx, key);
  const plaintext = randomBytes(length);
  const blob = ctx.crypto.encrypt(ctx.accountId, key.metadata.KeyId, plaintext, context);
  return {
    CiphertextBlob: blob.toString("base64"),
    Plaintext: plaintext.toString("base64"),
    KeyId: key.metadata.Arn,
  };
};

export const encrypt: KmsHandler = (ctx, input) => {
  const key = resolve(ctx, input.KeyId, true);
  const plaintext = readBlob(input.Plaintext, "plaintext", 4096);
  const context = readContext(input.EncryptionContext);
  assertUsable(ctx, key);
  const blob = ctx.crypto.encrypt(ctx.accountId, key.metadata.KeyId, plaintext, context);
  return {
    CiphertextBlob: blob.toString("base64"),
    KeyId: key.metadata.Arn,
    EncryptionAlgorithm: "SYMMETRIC_DEFAULT",
  };
};

export const decrypt: KmsHandler = (ctx, input) => {
  const bytes = readBlob(input.CiphertextBlob, "ciphertextBlob", 6144);
  const context = readContext(input.EncryptionContext);
  const blob = ctx.crypto.parse(bytes);
  if (!blob) throw new KmsError("InvalidCiphertextException", "");
  const key = ctx.index.region(ctx.accountId, ctx.region).keysById.get(blob.keyId);
  if (!key)
    throw notFound(`Key 'arn:aws:kms:${ctx.region}:${ctx.accountId}:key/${blob.keyId}' does not exist`);
  if (input.KeyId !== undefined && resolve(ctx, input.KeyId, true).metadata.KeyId !== blob.keyId) {
    throw new KmsError(
      "IncorrectKeyException",
      "The key ID in the request does not identify a KMS key that can perform this operation.",
    );
  }
  assertUsable(ctx, key);
  const plaintext = ctx.crypto.decrypt(ctx.accountId, blob, context);
  if (!plaintext) throw new KmsError("InvalidCiphertextException", "");
  return {
    KeyId: key.metadata.Arn,
    Plaintext: plaintext.toString("base64"),
    EncryptionAlgorithm: "SYMMETRIC_DEFAULT",
  };
};
