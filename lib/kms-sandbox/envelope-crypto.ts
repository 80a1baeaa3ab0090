import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from "node:crypto";

// Ciphertext blob: "SBXK" | version 1 | key id length | key id (utf8) | IV (12) | GCM tag (16) | ciphertext.
// The key id travels in the blob (as in real KMS) so Decrypt needs no KeyId; the account, the key
// id and the encryption context are bound as AAD, so changing any of them fails authentication.
const MAGIC = Buffer.from("SBXK");
const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export type EncryptionContext = Record<string, string>;

export interface ParsedBlob {
  keyId: string;
  iv: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
}

function canonicalContext(context: EncryptionContext): string {
  return JSON.stringify(
    Object.keys(context)
      .sort()
      .map((name) => [name, context[name]]),
  );
}

export class EnvelopeCrypto {
  private readonly master: Buffer;

  /** Key material is derived from the estate seed, so a restarted sandbox still decrypts old blobs. */
  constructor(seed: string) {
    this.master = createHash("sha256").update(`kms-sandbox/master/${seed}`).digest();
  }

  encrypt(accountId: string, keyId: string, plaintext: Buffer, context: EncryptionContext): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", this.keyFor(accountId, keyId), iv);
    cipher.setAAD(this.aad(accountId, keyId, context));
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    const id = Buffer.from(keyId, "utf8");
    return Buffer.concat([MAGIC, Buffer.from([VERSION, id.length]), id, iv, cipher.getAuthTag(), ciphertext]);
  }

  /** Undefined when the bytes are not a sandbox ciphertext blob. */
  parse(blob: Buffer): ParsedBlob | undefined {
    if (blob.length < MAGIC.length + 2 || !blob.subarray(0, 4).equals(MAGIC) || blob[4] !== VERSION)
      return undefined;
    const idLength = blob[5]!;
    const ivAt = 6 + idLength;
    if (blob.length < ivAt + IV_BYTES + TAG_BYTES) return undefined;
    return {
      keyId: blob.subarray(6, ivAt).toString("utf8"),
      iv: blob.subarray(ivAt, ivAt + IV_BYTES),
      tag: blob.subarray(ivAt + IV_BYTES, ivAt + IV_BYTES + TAG_BYTES),
      ciphertext: blob.subarray(ivAt + IV_BYTES + TAG_BYTES),
    };
  }

  /** Undefined when authentication fails (wrong context, account or tampered bytes). */
  decrypt(accountId: string, blob: ParsedBlob, context: EncryptionContext): Buffer | undefined {
    const decipher = createDecipheriv("aes-256-gcm", this.keyFor(accountId, blob.keyId), blob.iv);
    decipher.setAAD(this.aad(accountId, blob.keyId, context));
    decipher.setAuthTag(blob.tag);
    try {
      return Buffer.concat([decipher.update(blob.ciphertext), decipher.final()]);
    } catch {
      return undefined;
    }
  }

  // Region is left out on purpose: multi-Region replicas share key id and material with their primary.
  private keyFor(accountId: string, keyId: string): Buffer {
    return createHmac("sha256", this.master).update(`${accountId}/${keyId}`).digest();
  }

  private aad(accountId: string, keyId: string, context: EncryptionContext): Buffer {
    return Buffer.from(`${accountId}/${keyId}\n${canonicalContext(context)}`, "utf8");
  }
}
