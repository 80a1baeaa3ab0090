import pg from "pg";
import { describe, expect, it } from "vitest";
import { accountScopeOf, setAccountScope } from "@/lib/users/account-scope";
import { createUser, UserError } from "@/lib/users/service";
import { useFreshDatabase } from "@/test/db";
import { addAccount, removeAccount, removedMessage } from "./service";

const db = useFreshDatabase();

const by = { actorEmail: "admin@example.com" };
let n = 0;
async function scopedViewer(accountIds: string[]) {
  const ids = accountIds.map(() => String(++n).padStart(12, "7"));
  for (const id of ids) await addAccount(db.prisma, { id, name: `Account ${id}`, regions: ["us-east-1"] });
  const viewer = await createUser(db.prisma, {
    email: `scoped${n}@example.com`,
    password: "scoped-password-1",
    role: "viewer",
  });
  await setAccountScope(db.prisma, viewer.id, ids, by);
  return { viewer, ids };
}

/** What the viewer would see at its next request (lib/auth/session.ts reads it the same way). */
const scopeOf = async (userId: string) =>
  accountScopeOf(
    await db.prisma.user.findUniqueOrThrow({
      where: { id: userId },
      include: { accountScopes: { select: { accountId: true } } },
    }),
  );

/**
 * Holds a lock on these accounts' rows, so a removal blocks at its DELETE, after whatever it checks
 * first; `waiters` resolves once that many statements wait for a lock; `release` lets them go.
 */
async function holdAccounts(ids: string[]) {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  await client.query("BEGIN");
  await client.query("SELECT id FROM aws_accounts WHERE id = ANY($1) FOR KEY SHARE", [ids]);
  return {
    async waiters(count: number) {
      // Asked on another connection: inside a transaction, pg_stat_activity is read once and kept.
      const waiting = async () =>
        (
          await db.prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock'`
        )[0]!.n;
      await expect.poll(waiting, { timeout: 30_000, interval: 20 }).toBeGreaterThanOrEqual(count);
    },
    async release() {
      await client.query("COMMIT");
      await client.end();
    },
  };
}

describe("removing an account", () => {
  it("removes a scoped viewer's only account, leaving that viewer seeing no account, and says so", async () => {
    const { viewer, ids } = await scopedViewer(["only"]);
    expect(await removeAccount(db.prisma, ids[0]!, by)).toEqual({ viewersLeftWithNone: [viewer.email] });
    expect(await scopeOf(viewer.id)).toEqual([]);
    expect(removedMessage(ids[0]!, [viewer.email])).toBe(
      `Removed account ${ids[0]} and its stored keys. ${viewer.email} now sees no account: ` +
        "give them accounts on the Users page.",
    );
    expect(await db.prisma.auditLog.findFirst({ orderBy: { id: "desc" } })).toMatchObject({
      action: "account.remove",
      target: ids[0],
      actorEmail: by.actorEmail,
      details: { viewersLeftWithNone: [viewer.email] },
    });
  });

  it("keeps a viewer's other accounts and names nobody when one is left", async () => {
    const { viewer, ids } = await scopedViewer(["a", "b"]);
    expect(await removeAccount(db.prisma, ids[0]!, by)).toEqual({ viewersLeftWithNone: [] });
    expect(await scopeOf(viewer.id)).toEqual([ids[1]]);
  });

  it("refuses an unknown account and writes nothing", async () => {
    const before = await db.prisma.auditLog.count();
    await expect(removeAccount(db.prisma, "999999999999", by)).rejects.toThrow(
      "Account 999999999999 is not configured.",
    );
    expect(await db.prisma.auditLog.count()).toBe(before);
  });

  it("two removals at once of a viewer's two accounts leave it seeing no account, never every account", async () => {
    const { viewer, ids } = await scopedViewer(["a", "b"]);
    const lock = await holdAccounts(ids);
    const removals = Promise.all(ids.map((id) => removeAccount(db.prisma, id, by)));
    await lock.waiters(2);
    await lock.release();
    const results = await removals;
    expect(await scopeOf(viewer.id)).toEqual([]);
    // The removal that took the last account says so.
    expect(results.flatMap((r) => r.viewersLeftWithNone)).toEqual([viewer.email]);
  });

  it("a scope change racing a removal never leaves the viewer seeing every account", async () => {
    const { viewer, ids } = await scopedViewer(["a", "b"]);
    const [removed, kept] = [ids[0]!, ids[1]!];
    const lock = await holdAccounts([removed]);
    const removal = removeAccount(db.prisma, removed, by);
    await lock.waiters(1);
    // Narrows the scope to the account being removed, while the removal waits at its DELETE.
    const change = setAccountScope(db.prisma, viewer.id, [removed], by).catch((err: unknown) => err);
    // The scope change either waits for the removal or (on code that lets it) finishes first.
    await Promise.race([change, lock.waiters(2)]);
    await lock.release();
    await removal;
    const changed = await change;
    const scope = await scopeOf(viewer.id);
    expect(scope).not.toBeNull();
    if (changed instanceof UserError) {
      // The scope change came second and found the account gone: nothing changed.
      expect(changed.message).toMatch(/^Not a configured account/);
      expect(scope).toEqual([kept]);
    } else {
      expect(scope).toEqual([]);
    }
  });
});
