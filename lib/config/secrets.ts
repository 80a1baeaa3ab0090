import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";

/**
 * A random secret generated on first use and kept under the data directory, readable by its owner
 * only (0600). Used for the session signing key and the local encryption key when the environment
 * does not provide them.
 */
export async function readOrCreateSecret(dataDir: string, name: string, bytes = 32): Promise<string> {
  await mkdir(dataDir, { recursive: true });
  const file = path.join(dataDir, name);
  if (existsSync(file)) {
    await chmod(file, 0o600);
    return (await readFile(file, "utf8")).trim();
  }
  const secret = randomBytes(bytes).toString("base64url");
  await writeFile(file, secret + "\n", { mode: 0o600, flag: "wx" }).catch(async (err) => {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  });
  return (await readFile(file, "utf8")).trim();
}
