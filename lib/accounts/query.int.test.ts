import { beforeAll, describe, expect, it } from "vitest";
import { useFreshDatabase } from "@/test/db";
import { EMPTY_ACCOUNT_FILTERS, type AccountFilters } from "./filters";
import { fetchAccountPage } from "./query";

// The Accounts page's query on 130 accounts: 120 of an organization in two OUs (one nested in the
// other), 10 added by hand; pages, filters and a user's account scope, counted in the database.

const db = useFreshDatabase();
const id = (n: number) => String(100000000000 + n);
const filters = (f: Partial<AccountFilters>): AccountFilters => ({ ...EMPTY_ACCOUNT_FILTERS, ...f });
const ROOT = "r-ab12";
const TOP = "ou-ab12-aaaaaaaa";
const CHILD = "ou-ab12-bbbbbbbb";

beforeAll(async () => {
  const org = await db.prisma.organization.create({ data: { name: "Acme", memberRoleName: "Read" } });
  await db.prisma.organization.create({ data: { name: "Empty", memberRoleName: "Read" } });
  await db.prisma.awsAccount.createMany({
    data: Array.from({ length: 130 }, (_, i) => {
      const inOrg = i < 120;
      return {
        id: id(i),
        // Names sort as the numbers do: Member 000, Member 001, …
        name: inOrg ? `Member ${String(i).padStart(3, "0")}` : `Hand ${i}`,
        email: inOrg ? `aws+${i}@acme.example` : null,
        regions: ["us-east-1"],
        organizationId: inOrg ? org.id : null,
        orgStatus: inOrg ? (i === 7 ? "SUSPENDED" : i === 8 ? "LEFT" : "ACTIVE") : null,
        ouIds: inOrg ? (i < 40 ? [ROOT, TOP, CHILD] : i < 80 ? [ROOT, TOP] : [ROOT]) : [],
        excludedReason: i === 9 ? 'In ou-ab12-aaaaaaaa, excluded by organization "Acme".' : null,
        enabled: i !== 125,
      };
    }),
  });
  await db.prisma.awsAccount.create({ data: { id: id(999), name: "50% off", regions: ["us-east-1"] } });
});

describe("fetchAccountPage", () => {
  it("pages of the chosen size with the total; the last page holds the rest; past the end is the last", async () => {
    const first = await fetchAccountPage(db.prisma, filters({ pageSize: 25 }), null);
    expect(first).toMatchObject({ total: 131, page: 1, pageCount: 6 });
    expect(first.rows).toHaveLength(25);
    expect(first.rows[0]!.name).toBe("50% off");
    const second = await fetchAccountPage(db.prisma, filters({ pageSize: 25, page: 2 }), null);
    // No row twice, none skipped across the boundary.
    expect(second.rows[0]!.name > first.rows[24]!.name).toBe(true);
    const last = await fetchAccountPage(db.prisma, filters({ pageSize: 25, page: 6 }), null);
    expect(last.rows).toHaveLength(6);
    const beyond = await fetchAccountPage(db.prisma, filters({ pageSize: 25, page: 99 }), null);
    expect(beyond.page).toBe(6);
    expect(beyond.rows.map((r) => r.id)).toEqual(last.rows.map((r) => r.id));
    const all = new Set<string>();
    for (let page = 1; page <= 6; page++)
      for (const r of (await fetchAccountPage(db.prisma, filters({ pageSize: 25, page }), null)).rows)
        all.add(r.id);
    expect(all.size).toBe(131);
  });

  it("q matches part of the id, name or email, any case; % is a plain character", async () => {
    const byName = await fetchAccountPage(db.prisma, filters({ q: "member 11" }), null);
    expect(byName.rows.map((r) => r.name)).toEqual(Array.from({ length: 10 }, (_, i) => `Member 11${i}`));
    expect(
      (await fetchAccountPage(db.prisma, filters({ q: "AWS+42@" }), null)).rows.map((r) => r.id),
    ).toEqual([id(42)]);
    expect((await fetchAccountPage(db.prisma, filters({ q: id(3) }), null)).total).toBe(1);
    expect((await fetchAccountPage(db.prisma, filters({ q: "50%" }), null)).rows.map((r) => r.name)).toEqual([
      "50% off",
    ]);
    expect((await fetchAccountPage(db.prisma, filters({ q: "%" }), null)).total).toBe(1);
  });

  it("organization (or added by hand), OU with its children, and status", async () => {
    const org = await db.prisma.organization.findFirstOrThrow({ where: { name: "Acme" } });
    const empty = await db.prisma.organization.findFirstOrThrow({ where: { name: "Empty" } });
    const count = async (f: Partial<AccountFilters>) =>
      (await fetchAccountPage(db.prisma, filters(f), null)).total;
    expect(await count({ organization: org.id })).toBe(120);
    expect(await count({ organization: "none" })).toBe(11);
    expect(await count({ organization: empty.id })).toBe(0);
    expect(await count({ ou: TOP })).toBe(80);
    expect(await count({ ou: CHILD })).toBe(40);
    expect(await count({ ou: TOP, q: "Member 05" })).toBe(10);
    expect(await count({ status: "suspended" })).toBe(1);
    expect(await count({ status: "left" })).toBe(1);
    expect(await count({ status: "excluded" })).toBe(1);
    expect(await count({ status: "disabled" })).toBe(1);
    expect(await count({ status: "enabled" })).toBe(130);
  });

  it("a user limited to some accounts sees only those, counted alone; an empty scope sees none", async () => {
    const scope = [id(1), id(2), id(121)];
    const page = await fetchAccountPage(db.prisma, filters({ pageSize: 25 }), scope);
    expect(page).toMatchObject({ total: 3, pageCount: 1 });
    expect(page.rows.map((r) => r.id).sort()).toEqual([...scope].sort());
    expect((await fetchAccountPage(db.prisma, filters({ q: "Hand" }), scope)).rows.map((r) => r.id)).toEqual([
      id(121),
    ]);
    expect((await fetchAccountPage(db.prisma, filters({}), [])).total).toBe(0);
  });
});
