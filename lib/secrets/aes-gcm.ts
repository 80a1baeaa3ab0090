import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { canonicalContext, type EncryptionContext } from "./encrypter";

// AES-256-GCM with the canonical context as additional authenticated data: [iv, tag, body].
const TAG_BYTES = 16;

export function sealGcm(key: Uint8Array, plaintext: string, context: EncryptionContext): Buffer[] {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(canonicalContext(context)));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [iv, cipher.getAuthTag(), body];
}

/** Throws when authentication fails (wrong key or context, altered bytes). */
export function openGcm(key: Uint8Array, [iv, tag, body]: Buffer[], context: EncryptionContext): string {
  // authTagLength: Node would otherwise accept a tag cut short, weakening the authentication.
  const decipher = createDecipheriv("aes-256-gcm", key, iv!, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(canonicalContext(context)));
  decipher.setAuthTag(tag!);
  return Buffer.concat([decipher.update(body!), decipher.final()]).toString("utf8");
}
