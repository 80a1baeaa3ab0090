import { PassThrough } from "node:stream";
import { beforeAll, describe, expect, it } from "vitest";
import { verifyPassword } from "@/lib/auth/password";
import { createUser } from "@/lib/users/service";
import { useFreshDatabase } from "@/test/db";
import { runCli } from "@/test/support/cli";
import { UsageError, type CliIO } from "./io";
import { usersCommand } from "./users";

const db = useFreshDatabase();
const [A, B] = ["111111111111", "222222222222"];

beforeAll(async () => {
  await createUser(db.prisma, { email: "root@example.com", password: "root password 123", role: "admin" });
  await createUser(db.prisma, { email: "vera@example.com", password: "vera password 123", role: "viewer" });
  for (const id of [A, B]) {
    await db.prisma.awsAccount.create({ data: { id, name: `Account ${id}`, regions: ["us-east-1"] } });
  }
});

async function run(argv: string[], stdin = ""): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const input = new PassThrough();
  input.end(stdin);
  const io: CliIO = {
    out: (l) => lines.push(l),
    err: (l) => lines.push(l),
    stdin: input,
    stdout: new PassThrough(),
  };
  const code = await usersCommand(argv, db.prisma, io);
  return { code, out: lines.join("\n") };
}

const vera = () => db.prisma.user.findUniqueOrThrow({ where: { email: "vera@example.com" } });
const lastAudit = () => db.prisma.auditLog.findFirstOrThrow({ orderBy: { id: "desc" } });

describe("npm run cli -- users", () => {
  it("role: promotes and demotes, ending sessions, audited as the cli", async () => {
    expect(await run(["role", "--email", "VERA@example.com", "--role", "admin"])).toEqual({
      code: 0,
      out: "vera@example.com is now an admin. Their current sessions have ended.",
    });
    expect(await lastAudit()).toMatchObject({
      actorEmail: "cli",
      action: "user.role_change",
      target: "vera@example.com",
    });
    expect((await run(["role", "--email", "vera@example.com", "--role", "viewer"])).out).toBe(
      "vera@example.com is now a viewer. Their current sessions have ended.",
    );
    expect((await run(["role", "--email", "vera@example.com", "--role", "viewer"])).out).toBe(
      "vera@example.com already is a viewer; nothing changed.",
    );
    expect((await vera()).sessionEpoch).toBe(2);
  });

  it("disable and enable", async () => {
    expect((await run(["disable", "--email", "vera@example.com"])).out).toBe(
      "vera@example.com is now disabled. Their current sessions have ended.",
    );
    expect((await vera()).disabled).toBe(true);
    expect(await lastAudit()).toMatchObject({ actorEmail: "cli", action: "user.disable" });
    expect((await run(["enable", "--email", "vera@example.com"])).out).toBe(
      "vera@example.com is now enabled.",
    );
    expect((await vera()).disabled).toBe(false);
  });

  it("reset-password reads the new password from stdin", async () => {
    const { out } = await run(["reset-password", "--email", "vera@example.com"], "a fresh passphrase\n");
    expect(out).toBe("Set a new password for vera@example.com. Their current sessions have ended.");
    expect(await verifyPassword((await vera()).passwordHash, "a fresh passphrase")).toBe(true);
    expect(await lastAudit()).toMatchObject({ actorEmail: "cli", action: "user.password_reset" });
  });

  it("scope: sets accounts, lists them, clears them with --all, and limits to none with --none", async () => {
    expect((await run(["scope", "--email", "vera@example.com", "--account", B, "--account", A])).out).toBe(
      `vera@example.com now sees only account(s) ${A}, ${B}.`,
    );
    expect((await run(["list"])).out).toMatch(
      new RegExp(`vera@example.com\\s+viewer\\s+active\\s+${A},${B}\\s`),
    );
    expect((await run(["scope", "--email", "vera@example.com", "--all"])).out).toBe(
      "vera@example.com now sees every account.",
    );
    expect(await lastAudit()).toMatchObject({ actorEmail: "cli", details: { from: [A, B], to: "all" } });
    expect((await run(["list"])).out).toMatch(/vera@example.com\s+viewer\s+active\s+all\s/);
    expect((await run(["scope", "--email", "vera@example.com", "--none"])).out).toBe(
      "vera@example.com now sees no account.",
    );
    expect((await run(["list"])).out).toMatch(/vera@example.com\s+viewer\s+active\s+none\s/);
    expect(await lastAudit()).toMatchObject({ actorEmail: "cli", details: { from: "all", to: "none" } });
    await run(["scope", "--email", "vera@example.com", "--all"]);
  });

  it.each([
    [
      ["role", "--email", "root@example.com", "--role", "viewer"],
      /root@example.com is the last enabled admin/,
    ],
    [["disable", "--email", "root@example.com"], /root@example.com is the last enabled admin/],
    [
      ["role", "--email", "vera@example.com", "--role", "owner"],
      /^--role must be admin, analyst or viewer\.$/,
    ],
    [["enable"], /^--email is required\.$/],
    [["enable", "--email", "nobody@example.com"], /^No user has the email nobody@example.com\.$/],
    [
      ["scope", "--email", "vera@example.com", "--account", "42"],
      /^"42": An AWS account id is exactly 12 digits\.$/,
    ],
    [
      ["scope", "--email", "vera@example.com", "--account", "999999999999"],
      /^Not a configured account: 999999999999/,
    ],
    [
      ["scope", "--email", "vera@example.com"],
      /^Give one of --account ID \(repeatable\), --all or --none\.$/,
    ],
    [
      ["scope", "--email", "vera@example.com", "--all", "--account", A],
      /^Give one of --account ID \(repeatable\), --all or --none\.$/,
    ],
    [["rename"], /^Unknown users command "rename"/],
  ])("refuses %j with a usage error and changes nothing", async (argv, message) => {
    const before = await lastAudit();
    const error = await run(argv).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(message);
    expect((await lastAudit()).id).toBe(before.id);
  });

  it("refuses a short password from stdin", async () => {
    await expect(run(["reset-password", "--email", "vera@example.com"], "short\n")).rejects.toThrow(
      new UsageError("Password must be at least 12 characters"),
    );
  });
});

const cli = (args: string[], stdin: string) => runCli(args, { env: { DATABASE_URL: db.url }, stdin });

describe("the users commands as a process", () => {
  it("resets a password from piped stdin and exits 0", async () => {
    const result = await cli(
      ["users", "reset-password", "--email", "vera@example.com"],
      "piped passphrase 1\n",
    );
    expect(result).toMatchObject({ code: 0, stdout: "" });
    expect(result.stderr.trim()).toBe(
      "Set a new password for vera@example.com. Their current sessions have ended.",
    );
    expect(await verifyPassword((await vera()).passwordHash, "piped passphrase 1")).toBe(true);
  });

  it("prints one error line and exits 2 for the last admin", async () => {
    const result = await cli(["users", "role", "--email", "root@example.com", "--role", "viewer"], "");
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split("\n")).toEqual([
      "error: root@example.com is the last enabled admin and cannot be made a viewer: make another user an admin first.",
    ]);
  });
});
