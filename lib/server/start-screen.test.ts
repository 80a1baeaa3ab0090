import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { adminLines } from "./start-screen";

const dir = mkdtempSync(path.join(os.tmpdir(), "kms-insights-screen-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = path.join(dir, "first-admin-password");

describe("the first admin's lines of npm start", () => {
  it("show a generated password and say where it is kept, or that the file was left as it was", () => {
    const admin = { created: true, email: "admin@kms-insights.local", generatedPassword: "pw-1" };
    const saved = adminLines(admin, file, true);
    expect(saved).toContain("    password: pw-1");
    expect(saved).toContain(
      `  The password is also in ${file} (readable by you only); change it, then delete that file.`,
    );
    expect(adminLines(admin, file, false)).toContain(
      `  ${file} already exists and was left as it was: this password is shown only here.`,
    );
  });

  it("point to the file on a later start while it exists (a first start that failed showed no password)", () => {
    expect(adminLines({ created: false }, file, false).join("\n")).not.toContain(file);
    writeFileSync(file, "password: pw-1\n");
    expect(adminLines({ created: false }, file, false)).toContain(
      `  The first admin's generated password is in ${file} (delete it once changed).`,
    );
  });
});
