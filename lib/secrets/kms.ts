import { DecryptCommand, GenerateDataKeyCommand, KMSClient, KMSServiceException } from "@aws-sdk/client-kms";
import { openGcm, sealGcm } from "./aes-gcm";
import {
  DecryptError,
  describeContext,
  REENTER,
  type Decrypter,
  type EncryptionContext,
  type Encrypter,
} from "./encrypter";

// Envelope encryption under an AWS KMS key (INSIGHTS_KMS_KEY_ID). Each value gets its own data key
// from GenerateDataKey, bound by KMS to the record's encryption context; the value is sealed
// locally with AES-256-GCM under that data key, the context again as AAD. Ciphertext (text):
//   kms:v1:<key ARN>:<encrypted data key>:<iv>:<tag>:<body>        (every part base64url)
// The plaintext data key lives only for one call and is zeroed after; nothing secret is cached.
// Credentials, region and endpoint come from the SDK's defaults (AWS_ENDPOINT_URL_KMS works).

export const KMS_PREFIX = "kms:v1";

const b64 = (bytes: Uint8Array | string) => Buffer.from(bytes).toString("base64url");
const unb64 = (text: string) => Buffer.from(text, "base64url");

/** The region in a key ARN; undefined for a bare key id or alias name (the SDK's default region). */
export function regionOfKey(keyId: string): string | undefined {
  return /^arn:aws[\w-]*:kms:([a-z0-9-]+):/.exec(keyId)?.[1];
}

/** One SDK client per region, created on first use (clients hold no secret). */
export class KmsClients {
  private readonly clients = new Map<string, KMSClient>();

  constructor(
    private readonly make: (region?: string) => KMSClient = (region) => new KMSClient({ region }),
  ) {}

  for(keyId: string): KMSClient {
    const region = regionOfKey(keyId);
    let client = this.clients.get(region ?? "");
    if (!client) this.clients.set(region ?? "", (client = this.make(region)));
    return client;
  }

  destroy(): void {
    for (const client of this.clients.values()) client.destroy();
    this.clients.clear();
  }
}

function awsError(err: unknown): string {
  if (err instanceof KMSServiceException) return `${err.name}: ${err.message}`;
  const message = err instanceof Error ? err.message : String(err);
  return /region is missing/i.test(message)
    ? "no AWS region is configured (set AWS_REGION, or give INSIGHTS_KMS_KEY_ID as a key ARN)"
    : message;
}

/** Reads `kms:` ciphertexts; needs no configured key, since each ciphertext names its own. */
export class KmsEnvelopeDecrypter implements Decrypter {
  constructor(protected readonly clients = new KmsClients()) {}

  async decrypt(ciphertext: string, context: EncryptionContext): Promise<string> {
    const what = describeContext(context);
    const parts = ciphertext.split(":");
    if (parts.length !== 7 || `${parts[0]}:${parts[1]}` !== KMS_PREFIX) {
      throw new DecryptError(`${what} is not a complete KMS ciphertext (truncated or altered): ${REENTER}.`);
    }
    const [, , keyPart, wrappedKey, ...sealed] = parts as string[];
    const keyArn = unb64(keyPart!).toString("utf8");
    let dataKey: Uint8Array | undefined;
    try {
      const out = await this.clients.for(keyArn).send(
        new DecryptCommand({
          CiphertextBlob: unb64(wrappedKey!),
          EncryptionContext: context,
          KeyId: keyArn,
        }),
      );
      dataKey = out.Plaintext;
    } catch (err) {
      if (err instanceof KMSServiceException && err.name === "InvalidCiphertextException") {
        throw new DecryptError(
          `${what} does not decrypt under its KMS encryption context: it was copied from another record ` +
            `or service, or altered. To fix it, ${REENTER}.`,
        );
      }
      throw new DecryptError(
        `KMS could not decrypt ${what} with key ${keyArn} (${awsError(err)}). Let the console's AWS ` +
          `credentials use kms:Decrypt on that key, or ${REENTER}.`,
      );
    }
    if (!dataKey) throw new DecryptError(`KMS returned no data key for ${what}: try again.`);
    try {
      return openGcm(
        dataKey,
        sealed.map((p) => unb64(p)),
        context,
      );
    } catch {
      throw new DecryptError(`${what} was altered after it was encrypted. To fix it, ${REENTER}.`);
    } finally {
      dataKey.fill(0);
    }
  }
}

export class KmsEnvelopeEncrypter extends KmsEnvelopeDecrypter implements Encrypter {
  /** As configured: a key ARN, key id or alias. Each ciphertext carries the key's ARN. */
  readonly keyId: string;

  constructor(keyId: string, clients?: KmsClients) {
    super(clients);
    this.keyId = keyId;
  }

  async encrypt(plaintext: string, context: EncryptionContext): Promise<string> {
    let out;
    try {
      out = await this.clients
        .for(this.keyId)
        .send(
          new GenerateDataKeyCommand({ KeyId: this.keyId, KeySpec: "AES_256", EncryptionContext: context }),
        );
    } catch (err) {
      throw new Error(
        `KMS key ${this.keyId} (INSIGHTS_KMS_KEY_ID) could not make a data key: ${awsError(err)}. Check the ` +
          `key id and that the console's AWS credentials may use kms:GenerateDataKey on it.`,
      );
    }
    const { Plaintext: dataKey, CiphertextBlob: wrapped, KeyId: arn } = out;
    try {
      if (!dataKey || !wrapped) throw new Error(`KMS key ${this.keyId} returned no data key.`);
      const sealed = sealGcm(dataKey, plaintext, context);
      return [KMS_PREFIX, b64(arn ?? this.keyId), b64(wrapped), ...sealed.map((b) => b64(b))].join(":");
    } finally {
      dataKey?.fill(0);
    }
  }
}
