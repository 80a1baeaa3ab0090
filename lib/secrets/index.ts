import path from "node:path";
import { readOrCreateSecret } from "@/lib/config/secrets";
import type { Encrypter } from "./encrypter";
import { LocalEncrypter, parseLocalKey } from "./local";

export * from "./encrypter";

let cached: Promise<Encrypter> | undefined;

/**
 * The configured encrypter: a local AES-256-GCM key from INSIGHTS_ENCRYPTION_KEY (comma-separated,
 * newest first, older ones only to decrypt), else one generated once under the data directory
 * (owner-only file).
 */
export function getEncrypter(): Promise<Encrypter> {
  cached ??= (async () => {
    const fromEnv = process.env.INSIGHTS_ENCRYPTION_KEY;
    if (fromEnv) return new LocalEncrypter(fromEnv.split(",").map(parseLocalKey));
    const dir = path.resolve(process.env.INSIGHTS_DATA_DIR || ".data");
    const key = await readOrCreateSecret(dir, "encryption-key", 32);
    return new LocalEncrypter([Buffer.from(key, "base64url")]);
  })();
  return cached;
}
