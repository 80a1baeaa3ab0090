import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import { addAccount } from "@/lib/accounts/service";
import { approveException, createException, ExceptionError } from "@/lib/exceptions/service";
import { createUser } from "@/lib/users/service";
import { useFreshDatabase } from "@/test/db";

// Two people acting on one exception at the same moment: the second waits for the first one's
// commit, then judges the exception as that commit left it (not as it read it before waiting).

const db = useFreshDatabase();
const ACCOUNT = "123456789012";
const analyst = { actorEmail: "analyst@example.com", role: "ANALYST" as const, scope: null };
const approver = { actorEmail: "admin@example.com", role: "ADMIN" as const, scope: null };

beforeAll(async () => {
  await addAccount(db.prisma, { id: ACCOUNT, name: "Races", regions: ["us-east-1"] });
  for (const [email, role] of [
    ["analyst@example.com", "analyst"],
    ["admin@example.com", "admin"],
  ] as const)
    await createUser(db.prisma, { email, password: "correct horse battery", role });
});

const input = () => ({
  kind: "accepted-risk" as const,
  justification: "Retired with the project next quarter.",
  ownerEmail: "analyst@example.com",
  expires: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10),
  ticketUrl: null,
  scope: { keyArns: [], accounts: [ACCOUNT], regions: [], tagKey: null, tagValues: [], aliasPrefix: null },
});

const pendingException = () => createException(db.prisma, input(), analyst);

/** Statements of this database waiting for a row lock (asked on a connection of its own). */
const lockWaits = async () =>
  (
    await db.prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM pg_stat_activity
      WHERE datname = current_database() AND wait_event_type = 'Lock'`
  )[0]!.n;

describe("an exception changed by two people at once", () => {
  it("an approval that waited for a revoke finds the exception revoked, and approves nothing", async () => {
    const { id } = await pendingException();
    // The revoke: it holds the row and has written its change, not yet committed.
    const revoke = new pg.Client({ connectionString: db.url });
    await revoke.connect();
    await revoke.query("BEGIN");
    await revoke.query("SELECT 1 FROM exceptions WHERE id = $1 FOR UPDATE", [id]);
    await revoke.query(
      "UPDATE exceptions SET revoked_at = now(), revoked_by_email = 'analyst@example.com' WHERE id = $1",
      [id],
    );
    const approval = approveException(db.prisma, id, approver);
    approval.catch(() => {}); // awaited below
    await expect.poll(lockWaits, { timeout: 30_000, interval: 20 }).toBeGreaterThanOrEqual(1);
    await revoke.query("COMMIT");
    await revoke.end();

    await expect(approval).rejects.toThrow("That exception was revoked or replaced.");
    const stored = await db.prisma.findingException.findUniqueOrThrow({ where: { id } });
    expect(stored).toMatchObject({ approvedAt: null, revokedByEmail: "analyst@example.com" });
    expect(await db.prisma.auditLog.count({ where: { action: "exception.approve", target: id } })).toBe(0);
  });

  it("two new versions at once: one is made, the other finds the version it replaces replaced", async () => {
    // v1 in force (an admin's), v2 proposed by the analyst: both stand until v2 is approved.
    const v1 = await createException(db.prisma, input(), approver);
    const v2 = await createException(db.prisma, input(), analyst, { replaces: v1.id });
    expect(v2).toMatchObject({ version: 2, inForce: false });
    // Both new versions are held up by a lock on the series, then let go together.
    const hold = new pg.Client({ connectionString: db.url });
    await hold.connect();
    await hold.query("BEGIN");
    await hold.query("SELECT id FROM exceptions WHERE series_id = $1 ORDER BY id FOR UPDATE", [v1.seriesId]);
    const made = [
      createException(db.prisma, input(), approver, { replaces: v1.id }),
      createException(db.prisma, input(), approver, { replaces: v2.id }),
    ];
    for (const m of made) m.catch(() => {}); // settled below
    await expect.poll(lockWaits, { timeout: 30_000, interval: 20 }).toBe(2);
    await hold.query("COMMIT");
    await hold.end();

    const settled = await Promise.allSettled(made);
    const rejected = settled.flatMap((r) => (r.status === "rejected" ? [r.reason] : []));
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toBeInstanceOf(ExceptionError);
    expect(String(rejected[0])).toContain("already replaced or revoked");
    const versions = await db.prisma.findingException.findMany({
      where: { seriesId: v1.seriesId },
      orderBy: { version: "asc" },
    });
    expect(versions.map((v) => [v.version, !!v.supersededAt])).toEqual([
      [1, true],
      [2, true],
      [3, false],
    ]);
  });
});
