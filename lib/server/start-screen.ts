import type { ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { stripVTControlCharacters } from "node:util";
import type { BootstrapResult } from "@/lib/users/service";

// What `npm start` writes on the screen besides logs (lib/server/console.ts).

const root = process.cwd();

/** A path as the operator typed it when it is under the working directory, else absolute. */
export function shown(file: string): string {
  const relative = path.relative(root, file);
  return relative && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : file;
}

/** The lines about the first admin: how to sign in, and where the generated password is kept. */
export function adminLines(admin: BootstrapResult, file: string, saved: boolean): string[] {
  if (admin.created && admin.generatedPassword) {
    return [
      "",
      "  First run: an admin was created. Sign in with",
      `    email:    ${admin.email}`,
      `    password: ${admin.generatedPassword}`,
      saved
        ? `  The password is also in ${file} (readable by you only); change it, then delete that file.`
        : `  ${file} already exists and was left as it was: this password is shown only here.`,
      "  Add users with `npx kms-insights users add`.",
    ];
  }
  if (admin.created)
    return ["", `  First run: sign in as ${admin.email} with the password from ADMIN_PASSWORD.`];
  return [
    "",
    "  Sign in with your account; add users with `npx kms-insights users add --email E --role admin|analyst|viewer`.",
    // A first start that failed after creating the admin showed no password: it is in the file.
    ...(existsSync(file)
      ? [`  The first admin's generated password is in ${file} (delete it once changed).`]
      : []),
  ];
}

/**
 * The web server's stdout, less Next's progress lines ("✓ Running next.config.js took 95ms"), which
 * would land under the start's last block; its warnings (⚠) and errors (⨯) pass.
 */
export function forwardWebOutput(web: ChildProcess): void {
  if (!web.stdout) return;
  readline.createInterface({ input: web.stdout, crlfDelay: Infinity }).on("line", (line) => {
    if (!/^\s*[✓▲○]\s/.test(stripVTControlCharacters(line))) process.stdout.write(`${line}\n`);
  });
}
