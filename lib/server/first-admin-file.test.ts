import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { firstAdminFile, writeFirstAdminFile } from "./first-admin-file";

const dir = mkdtempSync(path.join(os.tmpdir(), "kms-insights-admin-file-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the first admin's password file", () => {
  it("is written once, readable by its owner only, and never replaced", () => {
    const data = path.join(dir, "data");
    const admin = {
      email: "admin@kms-insights.local",
      password: "first-password",
      url: "http://localhost:3000",
    };
    const previousUmask = process.umask(0o000); // the file's mode must not depend on the umask
    try {
      expect(writeFirstAdminFile(data, admin)).toBe(true);
    } finally {
      process.umask(previousUmask);
    }
    const file = firstAdminFile(data);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const text = readFileSync(file, "utf8");
    expect(text).toContain("email: admin@kms-insights.local\npassword: first-password\n");
    expect(text).toContain("http://localhost:3000");

    expect(writeFirstAdminFile(data, { ...admin, password: "second-password" })).toBe(false);
    expect(readFileSync(file, "utf8")).toBe(text);
  });
});
