import pg from "pg";
import { beforeEach, describe, expect, it } from "vitest";
import { verifyPassword } from "@/lib/auth/password";
import { useFreshDatabase } from "@/test/db";
import { changeRole, resetPassword, setDisabled } from "./manage";
import { createUser, findUserId, UserError, type Actor } from "./service";

const db = useFreshDatabase();
const actor: Actor = { actorId: "admin-id", actorEmail: "boss@example.com", ip: "203.0.113.9" };
const PASSWORD = "correct horse battery";

let n = 0;
async function user(role: "admin" | "viewer", prefix = role) {
  const u = await createUser(db.prisma, { email: `${prefix}${++n}@example.com`, password: PASSWORD, role });
  return u;
}
const epoch = async (id: string) => (await db.prisma.user.findUniqueOrThrow({ where: { id } })).sessionEpoch;
const lastAudit = () => db.prisma.auditLog.findFirst({ orderBy: { id: "desc" } });

beforeEach(async () => {
  // Each test starts with no enabled admin but the ones it makes.
  await db.prisma.user.updateMany({ where: { role: "ADMIN" }, data: { disabled: true } });
});

describe("changeRole", () => {
  it("changes the role, ends the user's sessions and records who did it from where", async () => {
    await user("admin");
    const viewer = await user("viewer");
    const change = await changeRole(db.prisma, viewer.id, "admin", actor);
    expect(change).toMatchObject({ changed: true, user: { role: "admin" } });
    expect(await epoch(viewer.id)).toBe(1);
    expect(await lastAudit()).toMatchObject({
      action: "user.role_change",
      target: viewer.email,
      actorEmail: actor.actorEmail,
      actorId: actor.actorId,
      ip: actor.ip,
      details: { role: "admin" },
    });
  });

  it("changes nothing when the user already has the role", async () => {
    const viewer = await user("viewer");
    const before = await lastAudit();
    expect(await changeRole(db.prisma, viewer.id, "viewer", actor)).toMatchObject({ changed: false });
    expect(await epoch(viewer.id)).toBe(0);
    expect((await lastAudit())?.id).toBe(before?.id);
  });

  it("refuses to demote the last enabled admin, with a sentence that says what to do", async () => {
    const admin = await user("admin");
    await expect(changeRole(db.prisma, admin.id, "viewer", actor)).rejects.toThrow(
      new UserError(
        `${admin.email} is the last enabled admin and cannot be made a viewer: make another user an admin first.`,
      ),
    );
    expect(await db.prisma.user.findUniqueOrThrow({ where: { id: admin.id } })).toMatchObject({
      role: "ADMIN",
      sessionEpoch: 0,
    });
  });

  it("lets one of two admins go, but not both at once", async () => {
    const [a, b] = [await user("admin"), await user("admin")];
    // Another session demotes A and has not committed yet: demoting B must wait for it, then refuse.
    const other = new pg.Client({ connectionString: db.url });
    await other.connect();
    await other.query("BEGIN");
    await other.query(`UPDATE users SET role = 'VIEWER' WHERE id = $1`, [a.id]);
    const demoteB = changeRole(db.prisma, b.id, "viewer", actor).then(
      () => "demoted",
      (err: Error) => err.message,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    await other.query("COMMIT");
    await other.end();
    expect(await demoteB).toMatch(/last enabled admin/);
    expect(await db.prisma.user.count({ where: { role: "ADMIN", disabled: false } })).toBe(1);
  });

  it("drops a viewer's account scope on promotion, since an admin sees every account", async () => {
    await user("admin");
    const viewer = await user("viewer");
    await db.prisma.awsAccount.create({ data: { id: "111111111111", name: "A", regions: ["us-east-1"] } });
    await db.prisma.userAccountScope.create({ data: { userId: viewer.id, accountId: "111111111111" } });
    await db.prisma.user.update({ where: { id: viewer.id }, data: { scoped: true } });
    const change = await changeRole(db.prisma, viewer.id, "admin", actor);
    expect(change.clearedScope).toEqual(["111111111111"]);
    expect(change.user).toMatchObject({ scoped: false, accountIds: [] });
    expect((await lastAudit())?.details).toEqual({ role: "admin", clearedScope: ["111111111111"] });
  });

  it("promotes a viewer limited to no account, dropping that (empty) scope too", async () => {
    const viewer = await user("viewer");
    await db.prisma.user.update({ where: { id: viewer.id }, data: { scoped: true } });
    const change = await changeRole(db.prisma, viewer.id, "admin", actor);
    expect(change).toMatchObject({ clearedScope: [], user: { role: "admin", scoped: false } });
    expect((await lastAudit())?.details).toEqual({ role: "admin", clearedScope: [] });
  });
});

describe("setDisabled", () => {
  it("disables and enables, ending sessions both times", async () => {
    await user("admin");
    const viewer = await user("viewer");
    await setDisabled(db.prisma, viewer.id, true, actor);
    expect(await lastAudit()).toMatchObject({ action: "user.disable", target: viewer.email });
    await setDisabled(db.prisma, viewer.id, false, actor);
    expect(await lastAudit()).toMatchObject({ action: "user.enable", target: viewer.email });
    expect(await epoch(viewer.id)).toBe(2);
  });

  it("refuses to disable the last enabled admin", async () => {
    const admin = await user("admin");
    await expect(setDisabled(db.prisma, admin.id, true, actor)).rejects.toThrow(/last enabled admin/);
    expect((await db.prisma.user.findUniqueOrThrow({ where: { id: admin.id } })).disabled).toBe(false);
  });

  it("may disable an admin while another stays enabled", async () => {
    const [a] = [await user("admin"), await user("admin")];
    expect(await setDisabled(db.prisma, a.id, true, actor)).toMatchObject({ changed: true });
  });
});

describe("resetPassword", () => {
  it("sets the new password, ends sessions, lifts a sign-in lock and never logs the password", async () => {
    const viewer = await user("viewer");
    await db.prisma.loginThrottle.create({
      data: {
        key: `email:${viewer.email}`,
        failures: 5,
        windowStart: new Date(),
        lockedUntil: new Date(Date.now() + 60_000),
      },
    });
    await resetPassword(db.prisma, viewer.id, "a brand new passphrase", actor);
    const row = await db.prisma.user.findUniqueOrThrow({ where: { id: viewer.id } });
    expect(await verifyPassword(row.passwordHash, "a brand new passphrase")).toBe(true);
    expect(await verifyPassword(row.passwordHash, PASSWORD)).toBe(false);
    expect(row.sessionEpoch).toBe(1);
    expect(await db.prisma.loginThrottle.count({ where: { key: `email:${viewer.email}` } })).toBe(0);
    const entry = await lastAudit();
    expect(entry).toMatchObject({ action: "user.password_reset", target: viewer.email, details: {} });
    expect(JSON.stringify({ ...entry, id: String(entry?.id) })).not.toContain("brand new");
  });

  it("refuses a short password and changes nothing", async () => {
    const viewer = await user("viewer");
    await expect(resetPassword(db.prisma, viewer.id, "short", actor)).rejects.toThrow(
      new UserError("Password must be at least 12 characters"),
    );
    expect(await epoch(viewer.id)).toBe(0);
  });

  it("says so when the user is gone", async () => {
    await expect(resetPassword(db.prisma, "no-such-id", PASSWORD, actor)).rejects.toThrow(
      new UserError("That user no longer exists."),
    );
  });
});

describe("createUser and findUserId", () => {
  it("audits a creation when told who made it, and refuses a duplicate email", async () => {
    const created = await createUser(
      db.prisma,
      { email: " New.Person@Example.com ", password: PASSWORD, role: "viewer" },
      actor,
    );
    expect(created.email).toBe("new.person@example.com");
    expect(await lastAudit()).toMatchObject({
      action: "user.create",
      target: created.email,
      details: { role: "viewer" },
    });
    await expect(
      createUser(db.prisma, { email: created.email, password: PASSWORD, role: "admin" }, actor),
    ).rejects.toThrow(new UserError("A user with email new.person@example.com already exists.", "email"));
  });

  it("finds users by email, case-insensitively, and names the missing one", async () => {
    const viewer = await user("viewer");
    expect(await findUserId(db.prisma, viewer.email.toUpperCase())).toBe(viewer.id);
    await expect(findUserId(db.prisma, "ghost@example.com")).rejects.toThrow(
      new UserError("No user has the email ghost@example.com."),
    );
    await expect(findUserId(db.prisma, "not-an-email")).rejects.toThrow(/Enter a valid email address/);
  });
});
