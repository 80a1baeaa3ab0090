import { beforeAll, describe, expect, it } from "vitest";
import { useFreshDatabase } from "@/test/db";
import { accountScopeOf, setAccountScope } from "./account-scope";
import { createUser, UserError, userWithScope, type Actor } from "./service";

const db = useFreshDatabase();
const actor: Actor = { actorEmail: "boss@example.com", ip: "198.51.100.7" };
const [A, B, C] = ["111111111111", "222222222222", "333333333333"];

beforeAll(async () => {
  for (const id of [A, B, C]) {
    await db.prisma.awsAccount.create({ data: { id, name: `Account ${id}`, regions: ["us-east-1"] } });
  }
});

let n = 0;
const viewer = () =>
  createUser(db.prisma, {
    email: `scoped${++n}@example.com`,
    password: "long enough password",
    role: "viewer",
  });
/** What the user sees at its next request (lib/auth/session.ts reads it the same way). */
const seen = async (userId: string) =>
  accountScopeOf(await db.prisma.user.findUniqueOrThrow({ where: { id: userId }, include: userWithScope }));
const stored = async (userId: string) =>
  (await db.prisma.userAccountScope.findMany({ where: { userId }, orderBy: { accountId: "asc" } })).map(
    (s) => s.accountId,
  );

describe("setAccountScope", () => {
  it("limits a viewer to the given accounts, then back to every account, auditing both", async () => {
    const v = await viewer();
    expect(await seen(v.id)).toBeNull();
    const scoped = await setAccountScope(db.prisma, v.id, [B, A, B], actor);
    expect(scoped).toMatchObject({ changed: true, user: { scoped: true, accountIds: [A, B] } });
    expect(await seen(v.id)).toEqual([A, B]);
    const entry = await db.prisma.auditLog.findFirst({ orderBy: { id: "desc" } });
    expect(entry).toMatchObject({
      action: "user.scope_change",
      target: v.email,
      ip: actor.ip,
      details: { from: "all", to: [A, B] },
    });

    expect(await setAccountScope(db.prisma, v.id, null, actor)).toMatchObject({
      changed: true,
      user: { scoped: false, accountIds: [] },
    });
    expect(await seen(v.id)).toBeNull();
    expect(await stored(v.id)).toEqual([]);
    expect((await db.prisma.auditLog.findFirst({ orderBy: { id: "desc" } }))?.details).toEqual({
      from: [A, B],
      to: "all",
    });
  });

  it("limits a viewer to no account with an empty list: it sees nothing, not everything", async () => {
    const v = await viewer();
    await setAccountScope(db.prisma, v.id, [A], actor);
    expect(await setAccountScope(db.prisma, v.id, [], actor)).toMatchObject({
      changed: true,
      user: { scoped: true, accountIds: [] },
    });
    expect(await seen(v.id)).toEqual([]);
    expect((await db.prisma.auditLog.findFirst({ orderBy: { id: "desc" } }))?.details).toEqual({
      from: [A],
      to: "none",
    });
    expect(await setAccountScope(db.prisma, v.id, [], actor)).toMatchObject({ changed: false });
  });

  it("reports no change for the same set, in any order", async () => {
    const v = await viewer();
    await setAccountScope(db.prisma, v.id, [C, A], actor);
    expect(await setAccountScope(db.prisma, v.id, [A, C], actor)).toMatchObject({ changed: false });
  });

  it("refuses an unknown account and keeps the scope it had", async () => {
    const v = await viewer();
    await setAccountScope(db.prisma, v.id, [A], actor);
    await expect(setAccountScope(db.prisma, v.id, [B, "999999999999"], actor)).rejects.toThrow(
      new UserError("Not a configured account: 999999999999. Add it on the Accounts page first."),
    );
    expect(await stored(v.id)).toEqual([A]);
  });

  it("refuses something that is not an account id, quoting it", async () => {
    const v = await viewer();
    await expect(setAccountScope(db.prisma, v.id, ["12345"], actor)).rejects.toThrow(
      new UserError('"12345": An AWS account id is exactly 12 digits.'),
    );
  });

  it("refuses to scope an admin, who sees every account", async () => {
    const admin = await createUser(db.prisma, {
      email: "scope-admin@example.com",
      password: "long enough password",
      role: "admin",
    });
    await expect(setAccountScope(db.prisma, admin.id, [A], actor)).rejects.toThrow(
      /is an admin and sees every account: make them a viewer first/,
    );
    await expect(setAccountScope(db.prisma, admin.id, [], actor)).rejects.toThrow(/is an admin/);
    expect(await setAccountScope(db.prisma, admin.id, null, actor)).toMatchObject({ changed: false });
    expect(await seen(admin.id)).toBeNull();
  });

  it("follows an account's removal (the scope row goes with it), down to no account", async () => {
    const v = await viewer();
    await db.prisma.awsAccount.create({ data: { id: "444444444444", name: "Gone", regions: ["us-east-1"] } });
    await setAccountScope(db.prisma, v.id, ["444444444444", A], actor);
    await db.prisma.awsAccount.delete({ where: { id: "444444444444" } });
    expect(await seen(v.id)).toEqual([A]);
    await db.prisma.awsAccount.create({ data: { id: "444444444444", name: "Gone", regions: ["us-east-1"] } });
    await setAccountScope(db.prisma, v.id, ["444444444444"], actor);
    await db.prisma.awsAccount.delete({ where: { id: "444444444444" } });
    expect(await seen(v.id)).toEqual([]);
  });

  it("the database refuses an admin marked scoped", async () => {
    const admin = await createUser(db.prisma, {
      email: "check-admin@example.com",
      password: "long enough password",
      role: "admin",
    });
    await expect(db.prisma.user.update({ where: { id: admin.id }, data: { scoped: true } })).rejects.toThrow(
      /users_admin_not_scoped/,
    );
  });
});
