import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

// A process that loads the embedded PostgreSQL's module and ends on its own keeps the exit code it
// set: the package's exit hook used to turn every such exit into 0, so that a failed integration
// test run passed CI.
function exitStatusOf(code: string): number | null {
  const script = `await import(${JSON.stringify(new URL("./embedded.ts", import.meta.url).pathname)}); ${code}`;
  return spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    stdio: "ignore",
  }).status;
}

describe("the embedded PostgreSQL's module", () => {
  it("leaves the exit code that a process ending on its own set", () => {
    expect(exitStatusOf("process.exitCode = 3;")).toBe(3);
  });

  it("leaves a clean exit clean, and an explicit one as it was", () => {
    expect(exitStatusOf("")).toBe(0);
    expect(exitStatusOf("process.exit(5);")).toBe(5);
  });
});
