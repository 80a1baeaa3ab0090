import { PassThrough } from "node:stream";
import { beforeAll, describe, expect, it } from "vitest";
import { authenticateToken } from "@/lib/api/tokens";
import { createUser } from "@/lib/users/service";
import { useFreshDatabase } from "@/test/db";
import { UsageError, type CliIO } from "./io";
import { tokensCommand } from "./tokens";

const db = useFreshDatabase();

beforeAll(async () => {
  await createUser(db.prisma, { email: "ana@example.com", password: "a long password 123", role: "analyst" });
  await createUser(db.prisma, { email: "vic@example.com", password: "a long password 123", role: "viewer" });
});

async function run(argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    stdin: new PassThrough(),
    stdout: new PassThrough(),
  };
  const code = await tokensCommand(argv, db.prisma, io);
  return { code, out, err };
}

describe("npm run cli -- tokens", () => {
  it("create prints the secret once on stdout, the rest on stderr; it works in the API", async () => {
    const created = await run([
      "create",
      "--email",
      "ana@example.com",
      "--name",
      "SIEM import",
      "--expires",
      new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10),
    ]);
    expect(created.code).toBe(0);
    expect(created.out).toHaveLength(1);
    const secret = created.out[0]!;
    expect(secret).toMatch(/^kmsi_[A-Za-z0-9_-]{43}$/);
    expect(created.err.join("\n")).toMatch(/shown only now/);
    const row = await db.prisma.apiToken.findFirstOrThrow({ where: { name: "SIEM import" } });
    expect(row.secretHash).not.toContain(secret.slice(5));
    expect(await authenticateToken(db.prisma, secret, null)).toMatchObject({
      ok: true,
      user: { email: "ana@example.com" },
    });
    const entry = await db.prisma.auditLog.findFirstOrThrow({ where: { action: "token.create" } });
    expect(entry).toMatchObject({ actorEmail: "cli", target: "ana@example.com" });

    const listed = await run(["list", "--email", "ana@example.com"]);
    expect(listed.out.join("\n")).toContain(`${row.prefix}…`);
    expect(listed.out.join("\n")).not.toContain(secret);
    expect((await run(["list", "--email", "vic@example.com"])).out.join("\n")).not.toContain("SIEM import");

    const revoked = await run(["revoke", row.id]);
    expect(revoked.code).toBe(0);
    expect(revoked.err.join("\n")).toMatch(/Revoked token "SIEM import" of ana@example.com/);
    expect(await authenticateToken(db.prisma, secret, null)).toMatchObject({
      ok: false,
      message: expect.stringMatching(/revoked/),
    });
  });

  it.each([
    [["create", "--email", "ana@example.com"], /--name/],
    [["create", "--email", "nobody@example.com", "--name", "x"], /No user/],
    [["create", "--email", "ana@example.com", "--name", "x", "--expires", "2099-01-01"], /at most 365 days/],
    [["create", "--email", "ana@example.com", "--name", "x", "--expires", "tomorrow"], /YYYY-MM-DD/],
    [["revoke", "nope"], /No such token/],
    [["revoke"], /one token id/],
    [["rotate"], /Unknown tokens command/],
  ])("%j is a usage error: %s", async (argv, message) => {
    await expect(run(argv)).rejects.toThrow(UsageError);
    await expect(run(argv)).rejects.toThrow(message);
  });
});
