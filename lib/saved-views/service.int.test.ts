import { beforeAll, describe, expect, it } from "vitest";
import { fetchInsightPage } from "@/lib/insight-table/query";
import { parseInsightFilters } from "@/lib/insight-table/filters";
import { setAccountScope } from "@/lib/users/account-scope";
import { accountScopeOf } from "@/lib/users/account-scope";
import { createUser, userWithScope } from "@/lib/users/service";
import type { RoleName } from "@/lib/users/schema";
import { useFreshDatabase } from "@/test/db";
import { addAccount, addKey } from "@/test/fixtures/dashboard-rows";
import { listSavedViews } from "./list";
import { MAX_VIEWS_PER_USER } from "./schema";
import {
  deleteView,
  renameView,
  saveView,
  SavedViewError,
  setViewShared,
  type SavedViewActor,
} from "./service";

// Saved views as each role uses them: every user keeps their own, only an admin shares; others'
// private views cannot be reached; each change is audited in its own transaction; and a view
// carries filters only, so a scoped reader of a shared view sees nothing outside their accounts.

const db = useFreshDatabase();
const A = "111111111111";
const B = "222222222222";
const users = {} as Record<"admin" | "admin2" | "analyst" | "viewer" | "scoped", SavedViewActor>;

async function addUser(email: string, role: RoleName): Promise<SavedViewActor> {
  const user = await createUser(db.prisma, { email, password: "a long password 1", role });
  return { actorId: user.id, actorEmail: email, role };
}

beforeAll(async () => {
  users.admin = await addUser("admin@example.com", "admin");
  users.admin2 = await addUser("admin2@example.com", "admin");
  users.analyst = await addUser("analyst@example.com", "analyst");
  users.viewer = await addUser("viewer@example.com", "viewer");
  users.scoped = await addUser("scoped@example.com", "viewer");
  await addAccount(db.prisma, A, "Alpha");
  await addAccount(db.prisma, B, "Beta");
  await addKey(db.prisma, { accountId: A, region: "us-east-1", severity: "CRITICAL" });
  await addKey(db.prisma, { accountId: B, region: "us-east-1", severity: "CRITICAL" });
  await addKey(db.prisma, { accountId: B, region: "eu-west-1", severity: "CRITICAL" });
  await setAccountScope(db.prisma, users.scoped.actorId, [A], { actorEmail: "test" });
}, 60_000);

let n = 0;
/** A fresh view of `owner`'s, optionally shared by an admin owner. */
async function viewOf(owner: SavedViewActor, query = "severity=CRITICAL", shared = false) {
  const view = await saveView(db.prisma, { name: `View ${++n}`, query }, owner);
  return shared ? setViewShared(db.prisma, view.id, true, owner) : view;
}

const stored = (id: string) => db.prisma.savedView.findUnique({ where: { id } });
const lastAudit = () => db.prisma.auditLog.findFirst({ orderBy: { id: "desc" } });

async function refused(change: () => Promise<unknown>, message: string | RegExp) {
  const before = await db.prisma.auditLog.count();
  await expect(change()).rejects.toThrow(message);
  expect(await db.prisma.auditLog.count()).toBe(before);
}

describe("saving a view", () => {
  it("stores the canonical query of the filters under the user's name, audited", async () => {
    const view = await saveView(
      db.prisma,
      { name: "  Critical in Alpha ", query: "?page=4&severity=CRITICAL&junk=1&account=111111111111" },
      users.viewer,
    );
    expect(await stored(view.id)).toMatchObject({
      ownerId: users.viewer.actorId,
      name: "Critical in Alpha",
      query: `account=${A}&severity=CRITICAL`,
      shared: false,
    });
    expect(await lastAudit()).toMatchObject({
      action: "saved_view.create",
      target: view.id,
      actorEmail: "viewer@example.com",
      details: { name: "Critical in Alpha", query: `account=${A}&severity=CRITICAL` },
    });
  });

  it("refuses a name the user already has, an empty or an overlong one, beside the name field", async () => {
    await saveView(db.prisma, { name: "Mine", query: "" }, users.analyst);
    for (const [name, message] of [
      ["Mine", 'You already have a view named "Mine".'],
      ["   ", "A name is required."],
      ["x".repeat(81), "A name is at most 80 characters."],
      ["tab\there", "A name cannot contain control characters."],
    ]) {
      const err = await saveView(db.prisma, { name: name!, query: "" }, users.analyst).catch(
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(SavedViewError);
      expect(err).toMatchObject({ message, field: "name" });
    }
    // Another user may use the same name.
    await expect(saveView(db.prisma, { name: "Mine", query: "" }, users.viewer)).resolves.toMatchObject({
      name: "Mine",
    });
  });

  it(`keeps at most ${MAX_VIEWS_PER_USER} views per user`, async () => {
    const heavy = await addUser("heavy@example.com", "viewer");
    await db.prisma.savedView.createMany({
      data: Array.from({ length: MAX_VIEWS_PER_USER }, (_, i) => ({
        ownerId: heavy.actorId,
        name: `v${i}`,
        query: "",
      })),
    });
    await refused(() => saveView(db.prisma, { name: "one more", query: "" }, heavy), /delete one first/);
  });
});

describe("renaming and deleting", () => {
  it("the owner renames their view; a name they already use is refused", async () => {
    const view = await viewOf(users.viewer);
    const other = await viewOf(users.viewer);
    await expect(renameView(db.prisma, view.id, "Renamed", users.viewer)).resolves.toMatchObject({
      name: "Renamed",
    });
    expect(await lastAudit()).toMatchObject({
      action: "saved_view.rename",
      target: view.id,
      details: { from: view.name, to: "Renamed" },
    });
    await refused(() => renameView(db.prisma, other.id, "Renamed", users.viewer), 'named "Renamed"');
    expect((await stored(other.id))?.name).toBe(other.name);
  });

  it("nobody else renames or deletes a private view: to them it does not exist", async () => {
    const view = await viewOf(users.analyst);
    for (const actor of [users.viewer, users.admin]) {
      await refused(() => renameView(db.prisma, view.id, "Taken over", actor), "That view no longer exists.");
      await refused(() => deleteView(db.prisma, view.id, actor), "That view no longer exists.");
      await refused(() => setViewShared(db.prisma, view.id, true, actor), /no longer exists|Only an admin/);
    }
    expect(await stored(view.id)).toMatchObject({ name: view.name, shared: false });
  });

  it("a shared view is renamed only by its owner, deleted by its owner or an admin", async () => {
    const view = await viewOf(users.admin, "severity=CRITICAL", true);
    for (const actor of [users.viewer, users.analyst, users.admin2])
      await refused(
        () => renameView(db.prisma, view.id, "Mine now", actor),
        "Only its owner can rename a view.",
      );
    for (const actor of [users.viewer, users.analyst])
      await refused(
        () => deleteView(db.prisma, view.id, actor),
        "Only its owner or an admin can delete a shared view.",
      );
    expect(await stored(view.id)).toMatchObject({ name: view.name, shared: true });

    await deleteView(db.prisma, view.id, users.admin2);
    expect(await stored(view.id)).toBeNull();
    expect(await lastAudit()).toMatchObject({
      action: "saved_view.delete",
      actorEmail: "admin2@example.com",
      target: view.id,
      details: { name: view.name, owner: "admin@example.com" },
    });
  });

  it("the owner deletes their own view, whatever their role", async () => {
    const view = await viewOf(users.viewer);
    await deleteView(db.prisma, view.id, users.viewer);
    expect(await stored(view.id)).toBeNull();
    expect(await lastAudit()).toMatchObject({ action: "saved_view.delete", target: view.id });
  });
});

describe("sharing", () => {
  it("is refused to viewers and analysts, even for their own view", async () => {
    for (const actor of [users.viewer, users.analyst]) {
      const view = await viewOf(actor);
      await refused(
        () => setViewShared(db.prisma, view.id, true, actor),
        "Only an admin can share or unshare a view.",
      );
      expect((await stored(view.id))?.shared).toBe(false);
    }
  });

  it("an admin shares their view with everyone; any admin unshares it, no one else", async () => {
    const view = await viewOf(users.admin);
    await setViewShared(db.prisma, view.id, true, users.admin);
    expect(await lastAudit()).toMatchObject({ action: "saved_view.share", target: view.id });
    const seen = await listSavedViews(db.prisma, users.viewer.actorId);
    expect(seen.shared.map((v) => v.name)).toContain(view.name);

    for (const actor of [users.viewer, users.analyst])
      await refused(
        () => setViewShared(db.prisma, view.id, false, actor),
        "Only an admin can share or unshare a view.",
      );
    await refused(
      () => setViewShared(db.prisma, view.id, true, users.admin2),
      "That view is already shared.",
    );
    await setViewShared(db.prisma, view.id, false, users.admin2);
    expect(await lastAudit()).toMatchObject({
      action: "saved_view.unshare",
      actorEmail: "admin2@example.com",
      target: view.id,
    });
    expect((await listSavedViews(db.prisma, users.viewer.actorId)).shared.map((v) => v.id)).not.toContain(
      view.id,
    );
    // Still its owner's.
    expect((await listSavedViews(db.prisma, users.admin.actorId)).mine.map((v) => v.id)).toContain(view.id);
  });
});

describe("the views a user sees", () => {
  it("are their own (shared or not) and the shared ones of others, each list by name", async () => {
    const reader = await addUser("reader@example.com", "viewer");
    const sharer = await addUser("sharer@example.com", "admin");
    for (const name of ["beta", "Alpha", "gamma 10", "gamma 9"])
      await saveView(db.prisma, { name, query: "" }, reader);
    const shared = await saveView(db.prisma, { name: "Team view", query: "severity=WARNING" }, sharer);
    await setViewShared(db.prisma, shared.id, true, sharer);
    await saveView(db.prisma, { name: "Private", query: "" }, sharer);

    const lists = await listSavedViews(db.prisma, reader.actorId);
    expect(lists.mine.map((v) => v.name)).toEqual(["Alpha", "beta", "gamma 9", "gamma 10"]);
    expect(lists.shared.filter((v) => v.ownerEmail === "sharer@example.com")).toEqual([
      {
        id: shared.id,
        name: "Team view",
        query: "severity=WARNING",
        href: "/insights/kms-key-rotation?severity=WARNING",
        shared: true,
        ownerEmail: "sharer@example.com",
      },
    ]);
    const own = await listSavedViews(db.prisma, sharer.actorId);
    expect(own.mine.map((v) => [v.name, v.shared])).toEqual([
      ["Private", false],
      ["Team view", true],
    ]);
    expect(own.shared.map((v) => v.id)).not.toContain(shared.id);
  });

  it("go with their owner when the user is deleted", async () => {
    const leaver = await addUser("leaver@example.com", "viewer");
    const view = await viewOf(leaver);
    await db.prisma.user.delete({ where: { id: leaver.actorId } });
    expect(await stored(view.id)).toBeNull();
  });
});

describe("a shared view opened by a scoped viewer", () => {
  it("shows nothing of the accounts outside their scope", async () => {
    const view = await viewOf(users.admin, `account=${B}&severity=CRITICAL`, true);
    const both = await viewOf(users.admin, `account=${A}&account=${B}&severity=CRITICAL`, true);
    const scoped = await db.prisma.user.findUniqueOrThrow({
      where: { id: users.scoped.actorId },
      include: userWithScope,
    });
    const scope = accountScopeOf(scoped);
    expect(scope).toEqual([A]);
    const seen = (await listSavedViews(db.prisma, users.scoped.actorId)).shared;
    const open = async (query: string, s: typeof scope) => {
      const { filters } = parseInsightFilters(new URLSearchParams(query));
      const page = await fetchInsightPage(db.prisma, filters, s);
      return { total: page.total, accounts: [...new Set(page.rows.map((r) => r.accountId))] };
    };
    const onlyB = seen.find((v) => v.id === view.id)!;
    expect(await open(onlyB.query, null)).toEqual({ total: 2, accounts: [B] });
    expect(await open(onlyB.query, scope)).toEqual({ total: 0, accounts: [] });
    const ab = seen.find((v) => v.id === both.id)!;
    expect(await open(ab.query, scope)).toEqual({ total: 1, accounts: [A] });
  });
});

describe("a change whose audit entry cannot be written", () => {
  it("is not stored, for every action", async () => {
    const view = await viewOf(users.admin);
    const shared = await viewOf(users.admin, "", true);
    await db.prisma.$executeRawUnsafe(`
      CREATE FUNCTION test_refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.action LIKE 'saved_view.%' THEN RAISE EXCEPTION 'audit insert refused (test)'; END IF;
        RETURN NEW;
      END $$`);
    await db.prisma.$executeRawUnsafe(
      `CREATE TRIGGER test_refuse_audit BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION test_refuse_audit()`,
    );
    try {
      const before = await db.prisma.savedView.findMany({ orderBy: { id: "asc" } });
      const fail = /audit insert refused/;
      await refused(() => saveView(db.prisma, { name: "Never stored", query: "" }, users.admin), fail);
      await refused(() => renameView(db.prisma, view.id, "Never renamed", users.admin), fail);
      await refused(() => setViewShared(db.prisma, view.id, true, users.admin), fail);
      await refused(() => setViewShared(db.prisma, shared.id, false, users.admin), fail);
      await refused(() => deleteView(db.prisma, view.id, users.admin), fail);
      expect(await db.prisma.savedView.findMany({ orderBy: { id: "asc" } })).toEqual(before);
    } finally {
      await db.prisma.$executeRawUnsafe(`DROP TRIGGER test_refuse_audit ON audit_log`);
    }
  });
});
