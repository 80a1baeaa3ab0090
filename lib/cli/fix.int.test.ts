import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorker, type Worker } from "@/lib/collector/queue";
import { generateEstate, keysIn, type RunningSandbox } from "@/lib/kms-sandbox";
import { createUser } from "@/lib/users/service";
import { useFreshDatabase } from "@/test/db";
import { runCli } from "@/test/support/cli";
import { scanAndWait } from "@/test/support/collector";
import { sandboxAccountRow, startDemoSandbox } from "@/test/support/kms-sandbox";
import { fixCommand } from "./fix";
import { reportError } from "./index";
import type { CliIO } from "./io";

// `kms-insights fix`: plan with the export's filters, show, approve with the typed count (as a
// named admin, never the planner under the setting), run --wait, roll back; bad usage exits 2.

const REGION = "us-east-1";
const estate = generateEstate({ accounts: 1, regions: [REGION], keysPerRegion: 25, seed: "fix-cli" });
const account = estate.accounts[0]!;
const db = useFreshDatabase();
let sandbox: RunningSandbox;
let worker: Worker;

beforeAll(async () => {
  sandbox = await startDemoSandbox(estate);
  await db.prisma.awsAccount.create({
    data: { ...sandboxAccountRow(sandbox, account, [REGION]), remediationMethod: "SANDBOX" },
  });
  for (const email of ["ada@example.com", "bob@example.com"])
    await createUser(db.prisma, { email, password: "correct horse battery", role: "admin" });
  await createUser(db.prisma, {
    email: "val@example.com",
    password: "correct horse battery",
    role: "viewer",
  });
  worker = await startWorker(db.prisma, db.url, { schedule: false });
  await scanAndWait(db.prisma, worker);
  await worker.stop();
}, 120_000);

afterAll(async () => {
  await sandbox?.stop();
});

/** The command in this process; stdout and stderr apart, and the exit code the CLI would give. */
async function fix(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    stdin: new PassThrough(),
    stdout: new PassThrough(),
  };
  let code: number;
  try {
    code = await fixCommand(argv, db.prisma, db.url, io);
  } catch (e) {
    code = reportError(e, io, "fix");
  }
  return { code, out: out.join("\n"), err: err.join("\n") };
}

const offKey = () =>
  keysIn(sandbox.estate, account.id, REGION).find((k) => k.scenario === "enabled-rotation-off")!;

describe("npm run cli -- fix", () => {
  it("plans from the table's filters, approves with the count as another admin, runs and rolls back", async () => {
    const planned = await fix(["plan", "--severity", "CRITICAL", "--as", "ada@example.com"]);
    expect(planned.code).toBe(0);
    const id = planned.out.split("\n").at(-1)!;
    expect(planned.out).toContain(`Plan ${id}: fix, waiting for approval`);
    expect(planned.out).toContain("EnableKeyRotation 365 days");
    const count = /(\d+) keys? to change/.exec(planned.err)![1]!;
    expect(planned.err).toContain(`fix approve ${id} --count ${count}`);

    expect(await fix(["approve", id, "--count", count, "--as", "ada@example.com"])).toMatchObject({
      code: 2,
      err: expect.stringContaining("another admin must approve"),
    });
    expect(await fix(["approve", id, "--count", "999", "--as", "bob@example.com"])).toMatchObject({
      code: 2,
      err: expect.stringContaining(`(${count})`),
    });
    expect(await fix(["approve", id, "--count", count, "--as", "val@example.com"])).toMatchObject({
      code: 2,
      err: expect.stringContaining("Only admins"),
    });
    expect((await fix(["approve", id, "--count", count, "--as", "bob@example.com"])).code).toBe(0);

    const ran = await fix(["run", id, "--wait"]);
    expect(ran.err).toContain(`Started ${id}`);
    expect(ran.out).toContain(offKey().metadata.Arn!);
    expect(ran.out).toMatch(/DONE +off -> on 365/);
    expect(await db.prisma.kmsKey.findUnique({ where: { arn: offKey().metadata.Arn! } })).toMatchObject({
      severity: "OK",
    });

    const shown = await fix(["show", id, "--json"]);
    expect(JSON.parse(shown.out)).toMatchObject({ id, approvedByEmail: "bob@example.com" });

    const rollback = await fix(["rollback", id, "--as", "ada@example.com"]);
    expect(rollback.code).toBe(0);
    expect(rollback.out).toContain("DisableKeyRotation");
    const audit = await db.prisma.auditLog.findMany({ where: { target: id }, orderBy: { id: "asc" } });
    expect(audit.map((a) => [a.action, a.actorEmail])).toEqual([
      ["fix.plan", "ada@example.com"],
      ["fix.approve", "bob@example.com"],
      ["fix.run", "cli"],
    ]);
  }, 120_000);

  it("refuses bad usage with exit code 2 and one clear line", async () => {
    const cases: [string[], RegExp][] = [
      [["plan", "--period", "45"], /from 90 to the policy's maximum/],
      [["plan", "--period", "soon"], /--period is a whole number of days/],
      [["plan", "--severity", "LOUD"], /--severity "LOUD"/],
      [
        ["plan", "--key", "arn:aws:kms:us-east-1:1:key/x", "--severity", "CRITICAL"],
        /either --key ARNs or filters/,
      ],
      [["approve", "nope", "--count", "1"], /no fix plan nope/],
      [["approve", "nope"], /needs --count N/],
      [["run"], /Give one plan id/],
      [["show", "a", "b"], /Give one plan id/],
      [["plan", "--as", "ghost@example.com"], /no active console user/],
      [["frobnicate"], /Unknown fix command "frobnicate"/],
    ];
    for (const [argv, message] of cases) {
      const result = await fix(argv);
      expect(result.code, argv.join(" ")).toBe(2);
      expect(result.err, argv.join(" ")).toMatch(message);
      expect(result.err).not.toMatch(/\n\s+at /);
    }
  });

  it("as a process: help lists fix, and an unknown option exits 2", async () => {
    const help = await runCli(["help", "fix"], { env: { DATABASE_URL: db.url } });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("fix approve ID --count N");
    const bad = await runCli(["fix", "plan", "--colour"], { env: { DATABASE_URL: db.url } });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown option "--colour" for fix');
  }, 60_000);
});
