import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { sourceFingerprint } from "./build";

// `npm start` rebuilds only when the fingerprint changes: a change to anything `next build` reads
// must change it, or the console keeps serving an old build.

const root = mkdtempSync(path.join(os.tmpdir(), "kms-insights-build-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const BUILD_INPUTS = [
  "app/page.tsx",
  "components/ui/button.tsx",
  "lib/utils.ts",
  "proxy.ts",
  "prisma/schema.prisma",
  "tsconfig.json",
  "tsconfig.build.json",
  "types/next-auth.d.ts",
  "next.config.js",
  "postcss.config.mjs",
  "package.json",
  "package-lock.json",
  "public/favicon.ico",
  ".env.production",
];
const NOT_INPUTS = [
  "node_modules/x/index.js",
  ".next/BUILD_ID",
  "lib/generated/prisma/client.ts",
  "e2e/a.spec.ts",
];

function write(file: string, text: string) {
  mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  writeFileSync(path.join(root, file), text);
  const then = new Date(Date.now() - 3600_000);
  utimesSync(path.join(root, file), then, then); // same time: only the change itself may count
}

for (const f of [...BUILD_INPUTS, ...NOT_INPUTS]) write(f, "first");

describe("sourceFingerprint", () => {
  it("changes with every file the build reads, added or changed, and with nothing else", () => {
    const unchanged = BUILD_INPUTS.filter((file) => {
      const before = sourceFingerprint(root);
      write(file, `changed ${file}`);
      return sourceFingerprint(root) === before;
    });
    expect(unchanged).toEqual([]);
    for (const file of ["public/new.png", "types/extra.d.ts"]) {
      const before = sourceFingerprint(root);
      write(file, "new");
      expect(sourceFingerprint(root), file).not.toBe(before);
    }
    // Dependencies' files, the build's own output, generated code and tests are not its inputs.
    const before = sourceFingerprint(root);
    for (const file of NOT_INPUTS) write(file, "changed again");
    expect(sourceFingerprint(root)).toBe(before);
  });
});
