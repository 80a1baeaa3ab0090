import { beforeAll, describe, expect, it } from "vitest";
import { createUser } from "@/lib/users/service";
import { useFreshDatabase } from "@/test/db";
import { authenticateToken, createToken, listTokens, revokeToken, TokenError } from "./tokens";

const db = useFreshDatabase();
const ids: Record<string, string> = {};
const CLI = { actorEmail: "cli" };

beforeAll(async () => {
  for (const [name, role] of [
    ["ada", "admin"],
    ["vic", "viewer"],
    ["val", "viewer"],
  ] as const)
    ids[name] = (
      await createUser(db.prisma, { email: `${name}@example.com`, password: "a long password 123", role })
    ).id;
});

const as = (name: string, asAdmin = false) => ({
  actorId: ids[name]!,
  actorEmail: `${name}@example.com`,
  userId: ids[name]!,
  asAdmin,
});

describe("tokens", () => {
  it("keep only a hash of the secret, and list by user", async () => {
    const { token, secret } = await createToken(db.prisma, { userId: ids.vic!, name: "vic's" }, CLI);
    const row = await db.prisma.apiToken.findUniqueOrThrow({ where: { id: token.id } });
    expect(row.secretHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(secret.slice(5));
    expect(token.prefix).toBe(secret.slice(0, 11));
    expect((await listTokens(db.prisma, ids.vic!)).map((t) => t.name)).toEqual(["vic's"]);
    expect(await listTokens(db.prisma, ids.val!)).toEqual([]);
  });

  it("are revoked by their user or an admin, not by another user", async () => {
    const { token } = await createToken(db.prisma, { userId: ids.vic!, name: "to revoke" }, CLI);
    await expect(revokeToken(db.prisma, token.id, as("val"))).rejects.toThrow(TokenError);
    expect((await db.prisma.apiToken.findUniqueOrThrow({ where: { id: token.id } })).revokedAt).toBeNull();
    const revoked = await revokeToken(db.prisma, token.id, as("ada", true));
    expect(revoked.revokedAt).toBeInstanceOf(Date);
    const entry = await db.prisma.auditLog.findFirstOrThrow({ where: { action: "token.revoke" } });
    expect(entry).toMatchObject({ actorEmail: "ada@example.com", target: "vic@example.com" });
    const own = await createToken(db.prisma, { userId: ids.vic!, name: "own" }, CLI);
    expect((await revokeToken(db.prisma, own.token.id, as("vic"))).revokedAt).toBeInstanceOf(Date);
  });

  it("are not made for a disabled user", async () => {
    await db.prisma.user.update({ where: { id: ids.val! }, data: { disabled: true } });
    await expect(createToken(db.prisma, { userId: ids.val!, name: "x" }, CLI)).rejects.toThrow(
      /enabled user/,
    );
  });

  it("record last use at most once a minute", async () => {
    const { token, secret } = await createToken(db.prisma, { userId: ids.ada!, name: "busy" }, CLI);
    const t0 = new Date();
    await authenticateToken(db.prisma, secret, "198.51.100.1", t0);
    await authenticateToken(db.prisma, secret, "198.51.100.2", new Date(t0.getTime() + 30_000));
    let row = await db.prisma.apiToken.findUniqueOrThrow({ where: { id: token.id } });
    expect(row).toMatchObject({ lastUsedAt: t0, lastUsedIp: "198.51.100.1" });
    const later = new Date(t0.getTime() + 61_000);
    await authenticateToken(db.prisma, secret, "198.51.100.3", later);
    row = await db.prisma.apiToken.findUniqueOrThrow({ where: { id: token.id } });
    expect(row).toMatchObject({ lastUsedAt: later, lastUsedIp: "198.51.100.3" });
  });
});
