import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { ConfigError, dataDir, parseEnv, type Env } from "@/lib/config/env";
import { readOrCreateSecret } from "@/lib/config/secrets";
import { CompositeEncrypter } from "./composite";
import type { Encrypter } from "./encrypter";
import { KmsEnvelopeDecrypter, KmsEnvelopeEncrypter, type KmsClients } from "./kms";
import { LocalEncrypter, parseLocalKey } from "./local";

export * from "./encrypter";

export interface EncrypterConfig {
  /** INSIGHTS_KMS_KEY_ID: a key ARN, key id or alias. Set: new values are encrypted with KMS. */
  kmsKeyId?: string;
  /** INSIGHTS_ENCRYPTION_KEY: base64 32-byte keys, comma-separated, newest first. */
  encryptionKeys?: string;
  /** INSIGHTS_DATA_DIR: where the generated local key lives. */
  dataDir: string;
  kmsClients?: KmsClients;
}

const KEY_FILE = "encryption-key";

function parseKeys(list: string): Buffer[] {
  return list.split(",").map((text, i) => {
    try {
      return parseLocalKey(text);
    } catch (err) {
      throw new ConfigError(`INSIGHTS_ENCRYPTION_KEY, key ${i + 1}: ${(err as Error).message}`);
    }
  });
}

/**
 * The local keys: INSIGHTS_ENCRYPTION_KEY's, then the generated key file's if there is one (so that
 * values made before the variable was set still decrypt). The file is created only when a local key
 * is the current one and none is configured.
 */
async function localKeys(config: EncrypterConfig, create: boolean): Promise<Buffer[]> {
  const keys = config.encryptionKeys ? parseKeys(config.encryptionKeys) : [];
  const file = path.join(config.dataDir, KEY_FILE);
  if (existsSync(file)) keys.push(Buffer.from((await readFile(file, "utf8")).trim(), "base64url"));
  else if (create && !keys.length) {
    keys.push(Buffer.from(await readOrCreateSecret(config.dataDir, KEY_FILE, 32), "base64url"));
  }
  return keys;
}

export async function createEncrypter(config: EncrypterConfig): Promise<Encrypter> {
  const kmsKeyId = config.kmsKeyId?.trim();
  const keys = await localKeys(config, !kmsKeyId);
  const local = keys.length ? new LocalEncrypter(keys) : undefined;
  const kms = kmsKeyId
    ? new KmsEnvelopeEncrypter(kmsKeyId, config.kmsClients)
    : new KmsEnvelopeDecrypter(config.kmsClients);
  const current = kms instanceof KmsEnvelopeEncrypter ? kms : local!;
  return new CompositeEncrypter(current, { local, kms });
}

export function encrypterConfigFromEnv(env: Env = parseEnv()): EncrypterConfig {
  return {
    kmsKeyId: env.INSIGHTS_KMS_KEY_ID,
    encryptionKeys: env.INSIGHTS_ENCRYPTION_KEY,
    dataDir: dataDir(env),
  };
}

let cached: Promise<Encrypter> | undefined;

/**
 * The configured encrypter: KMS envelope encryption when INSIGHTS_KMS_KEY_ID is set, else a local
 * AES-256-GCM key (INSIGHTS_ENCRYPTION_KEY, or one generated once under the data directory with
 * owner-only permissions). Either way both kinds of stored ciphertext stay readable.
 */
export function getEncrypter(): Promise<Encrypter> {
  cached ??= createEncrypter(encrypterConfigFromEnv()).catch((err: unknown) => {
    cached = undefined; // a fixed configuration is picked up on the next call
    throw err;
  });
  return cached;
}
