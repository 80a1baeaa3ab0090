import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { canonicalContext, DecryptError, type EncryptionContext, type Encrypter } from "./encrypter";

// AES-256-GCM under a local key: the embedded default. Ciphertext (text, never length-limited):
//   local:v1:<key id>:<iv>:<tag>:<ciphertext>   (base64url parts; key id = sha256(key)[0:8] hex)
// Several keys may be given (newest first) so that values made with an older key still decrypt
// after a rotation; `npm run cli -- secrets rotate` re-encrypts them with the newest.

const PREFIX = "local:v1";

export function localKeyId(key: Buffer): string {
  return createHash("sha256").update(key).digest("hex").slice(0, 16);
}

export function parseLocalKey(text: string): Buffer {
  const key = Buffer.from(text.trim(), "base64");
  if (key.length !== 32) throw new Error("An encryption key must be 32 bytes, base64-encoded (openssl rand -base64 32).");
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
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.keys.get(this.keyId)!, iv);
    cipher.setAAD(Buffer.from(canonicalContext(context)));
    const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    const parts = [iv, cipher.getAuthTag(), body].map((b) => b.toString("base64url"));
    return [PREFIX, this.keyId, ...parts].join(":");
  }

  async decrypt(ciphertext: string, context: EncryptionContext): Promise<string> {
    const parts = ciphertext.split(":");
    if (parts.length !== 6 || `${parts[0]}:${parts[1]}` !== PREFIX) {
      throw new DecryptError("Not a ciphertext of the local encrypter (or it was truncated).");
    }
    const [, , keyId, iv, tag, body] = parts as [string, string, string, string, string, string];
    const key = this.keys.get(keyId);
    if (!key) throw new DecryptError(`The key ${keyId} that encrypted this value is not configured.`);
    try {
      const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
      decipher.setAAD(Buffer.from(canonicalContext(context)));
      decipher.setAuthTag(Buffer.from(tag, "base64url"));
      return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
    } catch {
      throw new DecryptError("The value does not decrypt: it belongs to another record or was altered.");
    }
  }
}
