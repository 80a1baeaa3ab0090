import { beforeAll, describe, expect, it } from "vitest";
import { createUser } from "@/lib/users/service";
import { useFreshDatabase } from "@/test/db";
import { addAccount, addKey } from "@/test/fixtures/dashboard-rows";
import { fetchException, listExceptions, parseExceptionFilters, type ListedState } from "./list";
import { createException, ExceptionError, revokeException, type ExceptionActor } from "./service";

// The Exceptions page's reads at an injected instant: each state, the filter, the order, the keys
// covered, a series of versions, and what a scoped reader may see.

const db = useFreshDatabase();
const NOW = new Date("2026-12-10T00:00:00Z");
const A = "111111111111";
const B = "222222222222";
const admin: ExceptionActor = { actorEmail: "admin@example.com", role: "ADMIN", scope: null };
const analyst: ExceptionActor = { actorEmail: "analyst@example.com", role: "ANALYST", scope: null };
const ids: Record<string, string> = {};
const keys: Record<string, { id: string; arn: string }> = {};

const input = (justification: string, expires: string, scope: Partial<Record<string, unknown>>) => ({
  kind: "accepted-risk" as const,
  justification,
  ownerEmail: "admin@example.com",
  expires,
  ticketUrl: "",
  scope: { keyArns: [], accounts: [], regions: [], tagKey: null, tagValues: [], aliasPrefix: null, ...scope },
});

beforeAll(async () => {
  for (const [email, role] of [
    ["admin@example.com", "admin"],
    ["analyst@example.com", "analyst"],
  ] as const)
    await createUser(db.prisma, { email, role, password: "correct horse battery" });
  await addAccount(db.prisma, A, "Alpha");
  await addAccount(db.prisma, B, "Beta");
  for (const [name, accountId, region] of [
    ["k1", A, "us-east-1"],
    ["k2", A, "eu-west-1"],
    ["k3", B, "us-east-1"],
  ] as const)
    keys[name] = await addKey(db.prisma, { accountId, region, severity: "CRITICAL" });
  const at = { now: NOW };
  ids.pending = (
    await createException(db.prisma, input("pending", "2027-02-01", { keyArns: [keys.k1!.arn] }), analyst, at)
  ).id;
  ids.active = (
    await createException(
      db.prisma,
      input("active rule", "2027-06-01", { accounts: [A], regions: ["eu-west-1"] }),
      admin,
      at,
    )
  ).id;
  ids.expiring = (
    await createException(db.prisma, input("expiring", "2026-12-20", { keyArns: [keys.k3!.arn] }), admin, at)
  ).id;
  ids.expired = (
    await createException(db.prisma, input("expired", "2026-12-05", { keyArns: [keys.k1!.arn] }), admin, {
      now: new Date("2026-11-01T00:00:00Z"),
    })
  ).id;
  ids.revoked = (
    await createException(db.prisma, input("revoked", "2027-03-01", { tagKey: "team" }), admin, at)
  ).id;
  await revokeException(db.prisma, ids.revoked, admin, NOW);
  ids.v1 = (
    await createException(
      db.prisma,
      input("first version", "2027-01-10", { keyArns: [keys.k2!.arn] }),
      admin,
      at,
    )
  ).id;
  ids.v2 = (
    await createException(
      db.prisma,
      input("second version", "2027-04-01", { keyArns: [keys.k2!.arn] }),
      admin,
      {
        now: NOW,
        replaces: ids.v1,
      },
    )
  ).id;
});

const list = async (states: ListedState[], scope: readonly string[] | null = null) =>
  (await listExceptions(db.prisma, { states, page: 1 }, scope, NOW)).rows.map((r) => [
    r.justification,
    r.state,
  ]);

describe("listExceptions", () => {
  it("lists every state but superseded by default: pending, expiring, active, then the ended ones", async () => {
    expect(await list([])).toEqual([
      ["pending", "pending"],
      ["expiring", "expiring"],
      ["second version", "active"],
      ["active rule", "active"],
      ["expired", "expired"],
      ["revoked", "revoked"],
    ]);
    const { total } = await listExceptions(db.prisma, { states: [], page: 1 }, null, NOW);
    expect(total).toBe(6);
  });

  it("filters by state; active includes the expiring ones", async () => {
    expect(await list(["pending"])).toEqual([["pending", "pending"]]);
    expect(await list(["expiring"])).toEqual([["expiring", "expiring"]]);
    expect((await list(["active"])).map(([j]) => j)).toEqual(["expiring", "second version", "active rule"]);
    expect(await list(["expired", "revoked"])).toEqual([
      ["expired", "expired"],
      ["revoked", "revoked"],
    ]);
  });

  it("counts the keys each covers now, and sweeps the expired one off its key first", async () => {
    const rows = (await listExceptions(db.prisma, { states: [], page: 1 }, null, NOW)).rows;
    const covered = Object.fromEntries(rows.map((r) => [r.justification, r.keysCovered]));
    // k2 is covered by the rule (it expires after the second version, so it wins).
    expect(covered).toEqual({
      pending: 0,
      expiring: 1,
      "second version": 0,
      "active rule": 1,
      expired: 0,
      revoked: 0,
    });
    const k1 = await db.prisma.kmsKey.findUniqueOrThrow({ where: { id: keys.k1!.id } });
    expect(k1).toMatchObject({ status: "OPEN", exceptionId: null });
    expect(k1.exceptionExpiredAt).toEqual(new Date("2026-12-05T00:00:00Z"));
  });

  it("shows a scoped reader only the exceptions whose accounts are all theirs", async () => {
    // The revoked rule names no account (it covers all) and the expiring one is in account B.
    expect((await list([], [A])).map(([j]) => j)).toEqual([
      "pending",
      "second version",
      "active rule",
      "expired",
    ]);
    expect((await list([], [B])).map(([j]) => j)).toEqual(["expiring"]);
    expect(await list([], [])).toEqual([]);
  });

  it("pages", async () => {
    const second = await listExceptions(db.prisma, { states: [], page: 2 }, null, NOW);
    expect(second).toEqual({ rows: [], total: 6 });
  });
});

describe("parseExceptionFilters", () => {
  it("keeps known states and explains the rest, never throwing", () => {
    expect(parseExceptionFilters({ state: ["active", "bogus\u0000", "pending"], page: "x" })).toEqual({
      filters: { states: ["pending", "active"], page: 1 },
      notices: [
        'Ignored state "bogus\\u0000": choose pending, active, expiring, expired, revoked. Showing the others.',
        'Ignored page "x": it must be a whole number from 1.',
      ],
    });
    expect(parseExceptionFilters(new URLSearchParams("state=superseded")).filters.states).toEqual([]);
  });
});

describe("fetchException", () => {
  it("gives a version with its series, superseded versions included", async () => {
    const detail = await fetchException(db.prisma, ids.v1!, null, NOW);
    expect(detail?.exception).toMatchObject({ state: "superseded", supersededBy: ids.v2, version: 1 });
    expect(detail?.versions.map((v) => [v.version, v.state])).toEqual([
      [1, "superseded"],
      [2, "active"],
    ]);
  });

  it("lists the keys covered now, and those opened again when it expired", async () => {
    expect((await fetchException(db.prisma, ids.expiring!, null, NOW))?.coveredKeys.map((k) => k.id)).toEqual(
      [keys.k3!.id],
    );
    const expired = await fetchException(db.prisma, ids.expired!, null, NOW);
    expect(expired?.coveredKeys).toEqual([]);
    expect(expired?.endedKeys).toMatchObject([{ id: keys.k1!.id, reason: "EXPIRED" }]);
  });

  it("is null for an unknown or odd id and outside the reader's accounts", async () => {
    expect(await fetchException(db.prisma, "exc_nope", null, NOW)).toBeNull();
    expect(await fetchException(db.prisma, "'; DROP TABLE exceptions; --", null, NOW)).toBeNull();
    expect(await fetchException(db.prisma, ids.expiring!, [A], NOW)).toBeNull();
    expect(await fetchException(db.prisma, ids.revoked!, [A], NOW)).toBeNull();
    expect(await fetchException(db.prisma, ids.expiring!, [B], NOW)).not.toBeNull();
  });
});

describe("a new version", () => {
  it("is refused to an analyst who neither created nor owns the version, and outside their accounts", async () => {
    const change = input("analyst's change", "2027-04-01", { keyArns: [keys.k2!.arn] });
    await expect(createException(db.prisma, change, analyst, { now: NOW, replaces: ids.v2 })).rejects.toThrow(
      new ExceptionError("Analysts may revoke or change only the exceptions they created or own."),
    );
    const inB = input("analyst's change", "2027-04-01", { keyArns: [keys.k3!.arn] });
    await expect(
      createException(db.prisma, inB, { ...admin, scope: [B] }, { now: NOW, replaces: ids.v2 }),
    ).rejects.toThrow("covers accounts you cannot see");
    expect(await db.prisma.findingException.count({ where: { justification: "analyst's change" } })).toBe(0);
  });
});
