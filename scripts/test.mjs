// `npm test`: unit, integration (real PostgreSQL, the real AWS SDK against the KMS sandbox over
// HTTP) and end-to-end (real Chromium) tests, in that order; then one closing line with the totals.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";

const only = process.argv.slice(2); // e.g. `npm test -- unit integration`
const out = "test-results/summary";
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };

const suites = [
  {
    name: "unit",
    cmd: [
      "npx",
      "vitest",
      "run",
      "--project",
      "unit",
      "--reporter=default",
      "--reporter=json",
      `--outputFile.json=${out}/unit.json`,
    ],
    count: (r) => ({
      passed: r.numPassedTests,
      failed: r.numFailedTests,
      skipped: r.numPendingTests + r.numTodoTests,
    }),
  },
  {
    name: "integration",
    cmd: [
      "npx",
      "vitest",
      "run",
      "--project",
      "integration",
      "--reporter=default",
      "--reporter=json",
      `--outputFile.json=${out}/integration.json`,
    ],
    count: (r) => ({
      passed: r.numPassedTests,
      failed: r.numFailedTests,
      skipped: r.numPendingTests + r.numTodoTests,
    }),
  },
  {
    name: "e2e",
    cmd: ["npx", "playwright", "test", "--reporter=list,json"],
    env: { PLAYWRIGHT_JSON_OUTPUT_NAME: `${out}/e2e.json` },
    count: (r) => ({
      passed: r.stats.expected,
      failed: r.stats.unexpected,
      skipped: r.stats.skipped,
      flaky: r.stats.flaky,
    }),
  },
].filter((s) => !only.length || only.includes(s.name));

const totals = { passed: 0, failed: 0, skipped: 0 };
let exitCode = 0;
for (const suite of suites) {
  console.log(`\n=== ${suite.name} tests ===`);
  const run = spawnSync(suite.cmd[0], suite.cmd.slice(1), {
    stdio: "inherit",
    env: { ...env, ...suite.env },
  });
  if (run.status !== 0) exitCode = 1;
  try {
    const counts = suite.count(JSON.parse(readFileSync(`${out}/${suite.name}.json`, "utf8")));
    totals.passed += counts.passed + (counts.flaky ?? 0);
    totals.failed += counts.failed;
    // The report decides too: a runner that exits 0 with failed tests fails the run all the same.
    if (counts.failed > 0) exitCode = 1;
    totals.skipped += counts.skipped;
    console.log(`${suite.name}: ${counts.passed + (counts.flaky ?? 0)} passed, ${counts.failed} failed`);
  } catch {
    console.log(`${suite.name}: no report (the runner failed before reporting)`);
    totals.failed += 1;
    exitCode = 1;
  }
}
console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(exitCode);
