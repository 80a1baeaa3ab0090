import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/config/env";
import { demoSandboxFile, writeDemoSandbox } from "@/lib/config/demo-sandbox";
import { INSIGHT_CSV_COLUMNS } from "@/lib/csv";
import { startBackground, type Background } from "@/lib/server/background";
import { useFreshDatabase } from "@/test/db";
import { runCli } from "@/test/support/cli";
import { exportCommand } from "./export";

// The CLI as a process beside a console in demo mode, as `npm start` runs it: its demo sandbox,
// worker and scheduler (lib/server/background.ts) in this process, the address file in a data
// directory of its own. What a user sees: data on stdout, the rest on stderr; a scan of the demo
// accounts that succeeds while the console runs, and a clear refusal when it does not.

const db = useFreshDatabase();
const dir = mkdtempSync(path.join(os.tmpdir(), "kms-insights-cli-"));
const savedDataDir = process.env.INSIGHTS_DATA_DIR;
let background: Background | undefined;

const cli = (args: string[], stdin = "") =>
  runCli(args, { env: { DATABASE_URL: db.url, INSIGHTS_DATA_DIR: dir }, stdin });

beforeAll(async () => {
  // The worker in this process finds the sandbox where `npm start`'s would: under its data directory.
  process.env.INSIGHTS_DATA_DIR = dir;
  const env = parseEnv({ INSIGHTS_DATA_DIR: dir, INSIGHTS_DEMO: "auto" } as unknown as NodeJS.ProcessEnv);
  background = await startBackground({ env, prisma: db.prisma, databaseUrl: db.url });
  // The scheduler's first scan of the new demo accounts: done before the tests scan again.
  for (let i = 0; i < 600; i++) {
    const first = await db.prisma.scan.findFirst();
    if (first?.finishedAt) break;
    await new Promise((r) => setTimeout(r, 100));
  }
}, 120_000);

afterAll(async () => {
  await background?.stop();
  rmSync(dir, { recursive: true, force: true });
  if (savedDataDir === undefined) delete process.env.INSIGHTS_DATA_DIR;
  else process.env.INSIGHTS_DATA_DIR = savedDataDir;
});

async function exportInProcess(argv: string[]): Promise<string> {
  const stdout = new PassThrough();
  const chunks: Buffer[] = [];
  stdout.on("data", (c: Buffer) => chunks.push(c));
  const io = { out: () => {}, err: () => {}, stdin: new PassThrough(), stdout };
  expect(await exportCommand(argv, { prisma: db.prisma, url: db.url }, io)).toBe(0);
  return Buffer.concat(chunks).toString("utf8");
}

describe("the CLI beside a console in demo mode", () => {
  it("has demo accounts with and without remediation access, so the demo shows both", async () => {
    const demo = await db.prisma.awsAccount.findMany({ where: { isDemo: true }, orderBy: { id: "asc" } });
    expect(demo.length).toBeGreaterThan(1);
    expect(demo.filter((a) => a.remediationMethod === "SANDBOX")).toHaveLength(demo.length - 1);
    expect(demo.filter((a) => a.remediationMethod === null)).toHaveLength(1);
  });

  it("scans every demo account-region through the console's sandbox: progress and summary on stderr", async () => {
    const demo = await db.prisma.awsAccount.findMany({ where: { isDemo: true } });
    const targets = demo.reduce((n, a) => n + a.regions.length, 0);
    expect(targets).toBeGreaterThan(0);
    const run = await cli(["scan"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(`${targets} account-region(s) queued`);
    expect(run.stderr.match(/: succeeded \(/g)).toHaveLength(targets);
    expect(run.stderr).toMatch(new RegExp(`succeeded: ${targets}/${targets} account-regions succeeded`));
    const scan = await db.prisma.scan.findFirstOrThrow({
      where: { trigger: "CLI" },
      include: { targets: true },
    });
    expect(scan.targets.map((t) => t.status)).toEqual(Array(targets).fill("SUCCEEDED"));
  });

  it("export > file.csv: stdout is exactly the CSV, stderr is empty", async () => {
    const argv = ["--severity", "CRITICAL", "--severity", "WARNING"];
    const run = await cli(["export", ...argv]);
    expect(run).toMatchObject({ code: 0, stderr: "" });
    expect(run.stdout).toBe(await exportInProcess(argv));
    const [header, ...rows] = run.stdout
      .replace(/^\uFEFF/, "")
      .trimEnd()
      .split("\r\n");
    expect(header).toBe(INSIGHT_CSV_COLUMNS.map((c) => c.header).join(","));
    expect(rows.length).toBeGreaterThan(0);
  });

  it("lists on stdout; confirms a change on stderr; help on stdout; a wrong option on stderr, exit 2", async () => {
    const listed = await cli(["accounts", "list"]);
    expect(listed).toMatchObject({ code: 0, stderr: "" });
    expect(listed.stdout).toMatch(/^ID\s+NAME\s+REGIONS/);
    const added = await cli(
      ["users", "add", "--email", "ops@example.com", "--role", "viewer"],
      "ops password 123\n",
    );
    expect(added).toEqual({ code: 0, stdout: "", stderr: "Created viewer ops@example.com.\n" });
    const help = await cli(["export", "--help"]);
    expect(help).toMatchObject({ code: 0, stderr: "" });
    expect(help.stdout).toMatch(/^Usage: kms-insights export /);
    const wrong = await cli(["export", "--severty", "CRITICAL"]);
    expect(wrong).toEqual({
      code: 2,
      stdout: "",
      stderr: 'error: unknown option "--severty" for export. Run `kms-insights help export` for the usage.\n',
    });
  });

  it("refuses to scan the demo accounts once the console stopped, saying why, without failing them", async () => {
    await background!.stop();
    background = undefined;
    const scans = await db.prisma.scan.count();
    const gone = await cli(["scan"]);
    expect(gone.code).toBe(1);
    expect(gone.stdout).toBe("");
    expect(gone.stderr).toMatch(
      /^error: Not scanning: the demo account\(s\) [\d, ]+ are served by the demo KMS sandbox/,
    );
    expect(gone.stderr).toContain(`no demo KMS sandbox runs for the data directory ${dir}`);
    expect(gone.stderr.trim().split("\n")).toHaveLength(1);

    // A console killed without its shutdown leaves the address of a sandbox that no longer answers.
    const demo = await db.prisma.awsAccount.findMany({ where: { isDemo: true } });
    const credentials = { accessKeyId: "AKIAEXAMPLEEXAMPLE00", secretAccessKey: "x" };
    writeDemoSandbox(dir, {
      url: "http://127.0.0.1:9",
      credentials: Object.fromEntries(demo.map((a) => [a.id, credentials])),
    });
    const stale = await cli(["scan"]);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain(
      `the demo KMS sandbox at http://127.0.0.1:9 does not answer (did \`npm start\` stop without removing ${demoSandboxFile(dir)}?)`,
    );
    expect(await db.prisma.scan.count()).toBe(scans);
  });
});
