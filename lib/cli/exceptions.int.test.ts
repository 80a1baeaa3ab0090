import { PassThrough } from "node:stream";
import { beforeAll, describe, expect, it } from "vitest";
import { createException, type ExceptionActor } from "@/lib/exceptions/service";
import { createUser } from "@/lib/users/service";
import { useFreshDatabase } from "@/test/db";
import { ACCOUNTS, REGIONS, seedInsightRows } from "@/test/fixtures/insight-rows";
import { runCli } from "@/test/support/cli";
import { exceptionsCommand } from "./exceptions";
import { UsageError, type CliIO } from "./io";

const db = useFreshDatabase();
const DAY = 86_400_000;
/** A whole day `days` from now, as --expires takes it. */
const inDays = (days: number) => new Date(Date.now() + days * DAY).toISOString().slice(0, 10);
let analyst: ExceptionActor;

beforeAll(async () => {
  await seedInsightRows(db.prisma);
  await createUser(db.prisma, { email: "owner@example.com", password: "owner password 1", role: "admin" });
  const ana = await createUser(db.prisma, {
    email: "ana@example.com",
    password: "analyst password",
    role: "analyst",
  });
  analyst = { actorId: ana.id, actorEmail: ana.email, role: "ANALYST", scope: null };
});

async function run(argv: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const io: CliIO = {
    out: (l) => lines.push(l),
    err: (l) => lines.push(l),
    stdin: new PassThrough(),
    stdout: new PassThrough(),
  };
  const code = await exceptionsCommand(argv, db.prisma, io);
  return { code, out: lines.join("\n") };
}

/** Failing live keys, in key id order: each test takes its own. */
const failingKeys = () =>
  db.prisma.kmsKey.findMany({
    where: { goneAt: null, severity: { in: ["CRITICAL", "WARNING"] } },
    orderBy: { keyId: "asc" },
  });
const key = (arn: string) => db.prisma.kmsKey.findUniqueOrThrow({ where: { arn } });
const lastAudit = () => db.prisma.auditLog.findFirstOrThrow({ orderBy: { id: "desc" } });
const createdId = (out: string) => /(exc_[a-z0-9]+)/.exec(out)![1]!;
const base = (expires = inDays(60)) => [
  "--kind",
  "accepted-risk",
  "--justification",
  "Compensating control: the key encrypts test data only.",
  "--owner",
  "owner@example.com",
  "--expires",
  expires,
];

describe("npm run cli -- exceptions", () => {
  it("add --key: the key's finding is excepted at once, audited as the cli", async () => {
    const [target] = await failingKeys();
    const expires = inDays(60);
    const { code, out } = await run(["add", ...base(expires), "--key", target!.arn]);
    expect(code).toBe(0);
    expect(out).toMatch(
      // The new id alone on stdout (for scripts), then the sentence on stderr.
      new RegExp(`^(exc_\\w+)\nCreated exception \\1, expiring ${expires}: in force, covering 1 key\\.$`),
    );
    const id = createdId(out);
    expect(await key(target!.arn)).toMatchObject({ status: "EXCEPTED", exceptionId: id });
    expect(await lastAudit()).toMatchObject({
      actorEmail: "cli",
      action: "exception.create",
      target: id,
      details: { kind: "accepted-risk", owner: "owner@example.com", pendingApproval: false, keysCovered: 1 },
    });
  });

  it("add a rule (account, region, tag value, alias prefix): covers exactly the keys that match it all", async () => {
    const [account, region] = [ACCOUNTS[1].id, REGIONS[1]];
    const { out } = await run([
      "add",
      ...base(),
      "--kind",
      "false-positive",
      "--account",
      account,
      "--region",
      region,
      "--tag",
      "env",
      "--tag-value",
      "prod",
      "--tag-value",
      "qa",
      "--alias-prefix",
      "app-",
      "--ticket",
      "https://tickets.example.com/SEC-12",
    ]);
    const id = createdId(out);
    const inPlace = await db.prisma.kmsKey.findMany({
      where: { goneAt: null, accountId: account, region },
      include: { keyTags: true },
    });
    // An exception excepts failing findings: the passing keys it matches keep none.
    const expected = inPlace.filter(
      (k) =>
        (k.severity === "CRITICAL" || k.severity === "WARNING") &&
        k.keyTags.some((t) => t.tagKey === "env" && ["prod", "qa"].includes(t.tagValue)) &&
        k.aliases.some((a) => a.startsWith("alias/app-")),
    );
    expect(expected.length).toBeGreaterThan(0);
    expect(out).toContain(`covering ${expected.length} key${expected.length === 1 ? "" : "s"}.`);
    const covered = await db.prisma.kmsKey.findMany({ where: { exceptionId: id } });
    expect(covered.map((k) => k.id).sort()).toEqual(expected.map((k) => k.id).sort());
    expect(await db.prisma.findingException.findUniqueOrThrow({ where: { id } })).toMatchObject({
      kind: "FALSE_POSITIVE",
      aliasPrefix: "alias/app-",
      ticketUrl: "https://tickets.example.com/SEC-12",
      createdByEmail: "cli",
    });
  });

  it("approve: an analyst's pending exception comes into force; one the cli added is in force already", async () => {
    const keys = await failingKeys();
    const free = keys.filter((k) => k.exceptionId === null);
    const pending = await createException(
      db.prisma,
      {
        kind: "accepted-risk",
        justification: "Waiting for the vendor's fix.",
        ownerEmail: "ana@example.com",
        expires: inDays(30),
        ticketUrl: "",
        scope: {
          keyArns: [free[0]!.arn],
          accounts: [],
          regions: [],
          tagKey: null,
          tagValues: [],
          aliasPrefix: null,
        },
      },
      analyst,
    );
    expect(pending.inForce).toBe(false);
    expect((await key(free[0]!.arn)).status).toBe("OPEN");
    expect(await run(["approve", pending.id])).toEqual({
      code: 0,
      out: `Approved ${pending.id}: in force, covering 1 key.`,
    });
    expect((await key(free[0]!.arn)).status).toBe("EXCEPTED");
    expect(await lastAudit()).toMatchObject({
      actorEmail: "cli",
      action: "exception.approve",
      target: pending.id,
    });

    const own = createdId((await run(["add", ...base(), "--key", free[1]!.arn])).out);
    await expect(run(["approve", own])).rejects.toThrow(
      new UsageError("That exception is already approved."),
    );
  });

  it("revoke: the findings open again at once; a second revoke is refused", async () => {
    const free = (await failingKeys()).filter((k) => k.exceptionId === null);
    const id = createdId((await run(["add", ...base(), "--key", free[0]!.arn, "--key", free[1]!.arn])).out);
    expect(await run(["revoke", id])).toEqual({
      code: 0,
      out: `Revoked ${id}: 2 keys no longer covered; their findings are open again.`,
    });
    expect((await key(free[0]!.arn)).status).toBe("OPEN");
    expect(await lastAudit()).toMatchObject({ actorEmail: "cli", action: "exception.revoke", target: id });
    await expect(run(["revoke", id])).rejects.toThrow(new UsageError("That exception is already revoked."));
  });

  it("change: a new version with the options given and the rest kept; the old one is replaced", async () => {
    const free = (await failingKeys()).filter((k) => k.exceptionId === null);
    const first = createdId((await run(["add", ...base(inDays(20)), "--key", free[0]!.arn])).out);
    const expires = inDays(100);
    const { out } = await run([
      "change",
      first,
      "--expires",
      expires,
      "--key",
      free[0]!.arn,
      "--key",
      free[1]!.arn,
    ]);
    expect(out).toMatch(
      new RegExp(
        `^(exc_\\w+)\nCreated version 2 of ${first} \\(\\1\\), expiring ${expires}: in force, covering 2 keys; ${first} is replaced\\.$`,
      ),
    );
    const second = /\((exc_\w+)\)/.exec(out)![1]!;
    const [old, now] = await Promise.all(
      [first, second].map((id) => db.prisma.findingException.findUniqueOrThrow({ where: { id } })),
    );
    expect(old).toMatchObject({ supersededBy: second, version: 1 });
    expect(now).toMatchObject({
      seriesId: first,
      version: 2,
      justification: old!.justification,
      ownerEmail: "owner@example.com",
      kind: "ACCEPTED_RISK",
    });
    expect((await key(free[1]!.arn)).exceptionId).toBe(second);
    expect(await lastAudit()).toMatchObject({ action: "exception.version", details: { replaces: first } });
    await expect(run(["change", first, "--justification", "again"])).rejects.toThrow(
      new UsageError("That version was already replaced or revoked: change the latest version."),
    );
  });

  it("list: every state, filtered by --status, and as JSON", async () => {
    const free = (await failingKeys()).filter((k) => k.exceptionId === null);
    const expiring = createdId((await run(["add", ...base(inDays(5)), "--key", free[0]!.arn])).out);
    // Created 100 days ago with an expiry 10 days ago: in force then, expired now.
    const past = new Date(Date.now() - 100 * DAY);
    const expired = await createException(
      db.prisma,
      {
        kind: "false-positive",
        justification: "Old.",
        ownerEmail: "owner@example.com",
        expires: new Date(Date.now() - 10 * DAY).toISOString().slice(0, 10),
        ticketUrl: "",
        scope: {
          keyArns: [free[1]!.arn],
          accounts: [],
          regions: [],
          tagKey: null,
          tagValues: [],
          aliasPrefix: null,
        },
      },
      { actorEmail: "cli", role: "ADMIN", scope: null },
      { now: past },
    );
    expect((await key(free[1]!.arn)).exceptionId).toBe(expired.id);
    const pending = await createException(
      db.prisma,
      {
        kind: "accepted-risk",
        justification: "Pending.",
        ownerEmail: "ana@example.com",
        expires: inDays(40),
        ticketUrl: "",
        scope: {
          keyArns: [],
          accounts: [ACCOUNTS[2].id],
          regions: [],
          tagKey: null,
          tagValues: [],
          aliasPrefix: null,
        },
      },
      analyst,
    );

    const { code, out } = await run(["list"]);
    expect(code).toBe(0);
    const lines = out.split("\n");
    expect(lines[0]).toMatch(/^ID\s+VERSION\s+STATE\s+KIND\s+OWNER\s+EXPIRES\s+KEYS\s+SCOPE$/);
    const stateOf = (id: string) => lines.find((l) => l.startsWith(id))?.split(/\s+/)[2];
    expect(stateOf(expiring)).toBe("expiring");
    expect(stateOf(expired.id)).toBe("expired");
    expect(stateOf(pending.id)).toBe("pending");
    const states = new Set(lines.slice(2).map((l) => l.split(/\s+/)[2]));
    expect([...states].sort()).toEqual(["active", "expired", "expiring", "pending", "revoked", "superseded"]);
    // Listing swept the expiry: the key's finding is open again, marked with the expiry.
    expect(await key(free[1]!.arn)).toMatchObject({ status: "OPEN", exceptionId: null });
    expect((await key(free[1]!.arn)).exceptionExpiredAt).not.toBeNull();

    const filtered = await run(["list", "--status", "expiring", "--status", "PENDING"]);
    expect(
      filtered.out
        .split("\n")
        .slice(2)
        .map((l) => l.split(/\s+/)[0])
        .sort(),
    ).toEqual([expiring, pending.id].sort());

    const json = JSON.parse((await run(["list", "--json", "--status", "expiring"])).out) as unknown[];
    expect(json).toEqual([
      expect.objectContaining({
        id: expiring,
        state: "expiring",
        kind: "accepted-risk",
        ownerEmail: "owner@example.com",
        keys: 1,
        scope: `key ${free[0]!.arn}`,
        expiresAt: `${inDays(5)}T00:00:00.000Z`,
      }),
    ]);
  });

  it.each([
    [
      ["add", "--justification", "x", "--owner", "owner@example.com", "--account", ACCOUNTS[0].id],
      /^--kind is required\.$/,
    ],
    [
      ["add", ...base(), "--kind", "maybe", "--account", ACCOUNTS[0].id],
      /^Kind must be accepted-risk or false-positive\.$/,
    ],
    [
      ["add", ...base(), "--justification", "  ", "--account", ACCOUNTS[0].id],
      /^A justification is required\.$/,
    ],
    [["add", ...base()], /^Choose the keys \(--key ARN\) or a rule/],
    [["add", ...base(), "--key", "arn:nope"], /^--key "arn:nope": not a KMS key ARN\.$/],
    [["add", ...base(), "--account", "123"], /^--account "123": an account id is 12 digits\.$/],
    [["add", ...base(), "--region", "mars-1"], /^--region "mars-1": not an AWS region name\.$/],
    [["add", ...base(), "--tag-value", "prod"], /^--tag-value needs --tag\.$/],
    [
      [
        "add",
        ...base(),
        "--key",
        `arn:aws:kms:eu-west-1:${ACCOUNTS[0].id}:key/x`,
        "--account",
        ACCOUNTS[0].id,
      ],
      /^Give --key, or a rule .* not both\.$/,
    ],
    [
      ["add", ...base(), "--key", `arn:aws:kms:eu-west-1:${ACCOUNTS[0].id}:key/unknown`],
      /^1 of the chosen keys are unknown to the console/,
    ],
    [["add", ...base("2020-01-01"), "--account", ACCOUNTS[0].id], /^The expiry must be in the future\.$/],
    [["add", ...base(inDays(400)), "--account", ACCOUNTS[0].id], /^An exception lasts at most 365 days/],
    [
      ["add", ...base("31/12/2026"), "--account", ACCOUNTS[0].id],
      /^The expiry must be a date such as 2027-03-01\.$/,
    ],
    [
      ["add", ...base(), "--ticket", "javascript:alert(1)", "--account", ACCOUNTS[0].id],
      /^A ticket link must be an http:\/\/ or https:\/\/ address\.$/,
    ],
    [
      ["add", ...base(), "--owner", "nobody@example.com", "--account", ACCOUNTS[0].id],
      /^The owner must be an enabled user of the console; nobody@example.com is not\.$/,
    ],
    [
      ["list", "--status", "forever"],
      /^--status "forever": use pending, active, expiring, expired, revoked, superseded\.$/,
    ],
    [["approve"], /^Give the id of the exception to approve\.$/],
    [["approve", "exc_missing"], /^That exception no longer exists\.$/],
    [["revoke", "exc_missing"], /^That exception no longer exists\.$/],
    [["change", "exc_missing", "--justification", "x"], /^No exception has the id exc_missing\.$/],
    [["extend"], /^Unknown exceptions command "extend"/],
  ])("refuses %j with a usage error and changes nothing", async (argv, message) => {
    const before = await lastAudit().catch(() => null);
    const count = await db.prisma.findingException.count();
    const error = await run(argv).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(message);
    expect((await lastAudit().catch(() => null))?.id).toBe(before?.id);
    expect(await db.prisma.findingException.count()).toBe(count);
  });
});

const cli = (args: string[]) => runCli(args, { env: { DATABASE_URL: db.url } });

describe("the exceptions commands as a process", () => {
  it("prints one error line and exits 2 on bad input; an unknown option too", async () => {
    for (const args of [
      ["exceptions", "add", ...base("2020-01-01"), "--account", ACCOUNTS[0].id],
      ["exceptions", "list", "--colour"],
    ]) {
      const result = await cli(args);
      expect(result.code).toBe(2);
      expect(result.stderr.trim().split("\n")).toHaveLength(1);
      expect(result.stderr).toMatch(/^error: /);
      expect(result.stdout).toBe("");
    }
  });

  it("lists as JSON and exits 0", async () => {
    const result = await cli(["exceptions", "list", "--json"]);
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect((JSON.parse(result.stdout) as unknown[]).length).toBeGreaterThan(3);
  });
});
