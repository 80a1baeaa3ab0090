import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BuildFailedError, buildLogFile, runBuild } from "./build";

// `npm start` keeps `next build`'s output (its route table, its colours) off the screen: it goes
// to a log file under the data directory, as plain text, and is shown only when the build fails.
// A stand-in for Next's binary prints what the real one does.

const root = mkdtempSync(path.join(os.tmpdir(), "kms-insights-build-output-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function fakeNext(exitCode: number): void {
  const bin = path.join(root, "node_modules", "next", "dist", "bin");
  mkdirSync(bin, { recursive: true });
  mkdirSync(path.join(root, ".next"), { recursive: true });
  writeFileSync(
    path.join(bin, "next"),
    [
      `process.stdout.write("\\u001b[1m\\u001b[35m▲ Next.js 16\\u001b[39m\\u001b[22m\\n");`,
      `process.stdout.write("Route (app)\\n┌ ○ /\\n└ ƒ /insights\\n○  (Static)  prerendered as static content\\n");`,
      `process.stderr.write(${exitCode ? `"\\u001b[31mType error: x is not a string\\u001b[39m\\n"` : `""`});`,
      `process.exit(${exitCode});`,
    ].join("\n"),
  );
  chmodSync(path.join(bin, "next"), 0o755);
}

describe("runBuild", () => {
  it("writes the build's output, without escape codes, to the build log and keeps the screen quiet", async () => {
    fakeNext(0);
    const log = buildLogFile(path.join(root, "data"));
    await runBuild(root, { ...process.env }, log);
    const text = readFileSync(log, "utf8");
    expect(text).toContain("Route (app)");
    expect(text).toContain("▲ Next.js 16");
    expect(text).not.toMatch(/\u001b/);
    expect(existsSync(path.join(root, ".next", "insights-build-fingerprint"))).toBe(true);
  });

  it("fails with the output, for the start to show, and keeps it in the log", async () => {
    fakeNext(1);
    rmSync(path.join(root, ".next", "insights-build-fingerprint"));
    const log = buildLogFile(path.join(root, "data"));
    const error = await runBuild(root, { ...process.env }, log).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BuildFailedError);
    expect((error as BuildFailedError).output).toContain("Type error: x is not a string");
    expect((error as BuildFailedError).output).not.toMatch(/\u001b/);
    expect(readFileSync(log, "utf8")).toBe((error as BuildFailedError).output);
    // A failed build is not a current one.
    expect(existsSync(path.join(root, ".next", "insights-build-fingerprint"))).toBe(false);
  });
});
