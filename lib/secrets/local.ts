import { createHash } from "node:crypto";
import { openGcm, sealGcm } from "./aes-gcm";
import { DecryptError, describeContext, REENTER, type EncryptionContext, type Encrypter } from "./encrypter";

// AES-256-GCM under a local key: the embedded default. Ciphertext (text, never length-limited):
//   local:v1:<key id>:<iv>:<tag>:<ciphertext>   (base64url parts; key id = sha256(key)[0:8] hex)
// Several keys may be given (newest first) so that values made with an older key still decrypt
// after a rotation; `npx kms-insights secrets rotate` re-encrypts them with the newest.

export const LOCAL_PREFIX = "local:v1";

export function localKeyId(key: Buffer): string {
  return createHash("sha256").update(key).digest("hex").slice(0, 16);
}

export function parseLocalKey(text: string): Buffer {
  const key = Buffer.from(text.trim(), "base64");
  if (key.length !== 32)
    throw new Error("An encryption key must be 32 bytes, base64-encoded (openssl rand -base64 32).");
  return key;
}

export class LocalEncrypter implements Encrypter {
  readonly keyId: string;
  private readonly keys: Map<string, Buffer>;

  constructor(keys: Buffer[]) {
    if (!keys.length) throw new Error("LocalEncrypter needs at least one key");
    this.keys = new Map(keys.map((k) => [localKeyId(k), k]));
    this.keyId = localKeyId(keys[0]!);
  }

  async encrypt(plaintext: string, context: EncryptionContext): Promise<string> {
    const parts = sealGcm(this.keys.get(this.keyId)!, plaintext, context);
    return [LOCAL_PREFIX, this.keyId, ...parts.map((b) => b.toString("base64url"))].join(":");
  }

  async decrypt(ciphertext: string, context: EncryptionContext): Promise<string> {
    const what = describeContext(context);
    const parts = ciphertext.split(":");
    if (parts.length !== 6 || `${parts[0]}:${parts[1]}` !== LOCAL_PREFIX) {
      throw new DecryptError(
        `${what} is not a complete local ciphertext (truncated or altered): ${REENTER}.`,
      );
    }
    const [, , keyId, ...sealed] = parts as [string, string, string, string, string, string];
    const key = this.keys.get(keyId);
    if (!key) {
      throw new DecryptError(
        `${what} was encrypted with local key ${keyId}, which is not configured: add that key to ` +
          `INSIGHTS_ENCRYPTION_KEY after the current one (then run \`npx kms-insights secrets rotate\`), or ${REENTER}.`,
      );
    }
    try {
      return openGcm(
        key,
        sealed.map((p) => Buffer.from(p, "base64url")),
        context,
      );
    } catch {
      throw new DecryptError(
        `${what} does not decrypt: it was copied from another record or altered. To fix it, ${REENTER}.`,
      );
    }
  }
}
