import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

// The generated password of the first admin is shown once by `npm start`; it is also kept in this
// file, readable by its owner only, for whoever missed the screen. Written once: an existing file
// (a password someone may still rely on) is never replaced.

const FILE = "first-admin-password";

export function firstAdminFile(dataDir: string): string {
  return path.join(dataDir, FILE);
}

/** Writes the file unless it exists; returns whether it was written. */
export function writeFirstAdminFile(
  dataDir: string,
  admin: { email: string; password: string; url: string },
): boolean {
  const file = firstAdminFile(dataDir);
  mkdirSync(dataDir, { recursive: true });
  const text = [
    `# KMS Insights: the first admin, created ${new Date().toISOString()}.`,
    `# Sign in at ${admin.url}, change this password, then delete this file.`,
    `email: ${admin.email}`,
    `password: ${admin.password}`,
    "",
  ].join("\n");
  try {
    writeFileSync(file, text, { mode: 0o600, flag: "wx" });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw err;
  }
  // The mode given at creation is narrowed by the umask only; this states it whatever the umask.
  chmodSync(file, 0o600);
  return true;
}
