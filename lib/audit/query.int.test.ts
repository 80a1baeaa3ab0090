import { beforeAll, describe, expect, it } from "vitest";
import { csvChunks } from "@/lib/csv";
import { useFreshDatabase } from "@/test/db";
import { parseRfc4180 } from "@/test/support/parse-rfc4180";
import { AUDIT_CSV_COLUMNS, AUDIT_EXPORT_ACTION, auditedAuditRows } from "./export";
import { EMPTY_AUDIT_FILTERS, type AuditFilters } from "./filters";
import { audit } from "./log";
import { AUDIT_PAGE_SIZE, fetchAuditPage, listAuditActions, streamAuditRows } from "./query";

const db = useFreshDatabase();
const f = (over: Partial<AuditFilters>): AuditFilters => ({ ...EMPTY_AUDIT_FILTERS, ...over });

beforeAll(async () => {
  // 120 sign-ins, one a minute from 2026-11-01 22:00 UTC, then a few odd entries on 2026-11-03.
  for (let i = 0; i < 120; i++) {
    await db.prisma.auditLog.create({
      data: {
        at: new Date(Date.UTC(2026, 10, 1, 22, i)),
        actorEmail: i % 2 ? "Alice@Example.com" : "bob@example.com",
        action: "auth.sign_in",
        ip: "192.0.2.1",
      },
    });
  }
  const at = new Date("2026-11-03T12:00:00Z");
  for (const [action, target] of [
    ["user.disable", "carol@example.com"],
    ["userxdisable", "50 percent"],
    ["account.update", "50% discount"],
    ["account.remove", "=HYPERLINK(1)"],
  ]) {
    await db.prisma.auditLog.create({
      data: { at, actorEmail: "root@example.com", action: action!, target, details: { n: 1 } },
    });
  }
});

const targets = async (filters: AuditFilters) =>
  (await fetchAuditPage(db.prisma, filters)).rows.map((r) => r.target);

describe("fetchAuditPage", () => {
  it("pages newest first and shows the last page for a page past the end", async () => {
    const first = await fetchAuditPage(db.prisma, f({}));
    expect(first).toMatchObject({ total: 124, page: 1, pageCount: 3 });
    expect(first.rows).toHaveLength(AUDIT_PAGE_SIZE);
    expect(first.rows[0]!.action).toBe("account.remove");
    const ids = first.rows.map((r) => BigInt(r.id));
    expect(ids).toEqual([...ids].sort((a, b) => (a < b ? 1 : -1)));
    const last = await fetchAuditPage(db.prisma, f({ page: 99 }));
    expect(last).toMatchObject({ page: 3, pageCount: 3 });
    expect(last.rows).toHaveLength(24);
  });

  it("filters by exact action, or by a family ending in a dot, with no LIKE wildcards", async () => {
    expect(await targets(f({ action: "user.disable" }))).toEqual(["carol@example.com"]);
    expect(await targets(f({ action: "user." }))).toEqual(["carol@example.com"]);
    expect((await fetchAuditPage(db.prisma, f({ action: "account." }))).total).toBe(2);
    expect((await fetchAuditPage(db.prisma, f({ action: "auth.sign_in" }))).total).toBe(120);
  });

  it("matches actor and target text in any case, taking % and _ literally", async () => {
    expect((await fetchAuditPage(db.prisma, f({ actor: "alice@EXAMPLE" }))).total).toBe(60);
    expect(await targets(f({ target: "50%" }))).toEqual(["50% discount"]);
    expect(await targets(f({ target: "CAROL" }))).toEqual(["carol@example.com"]);
    expect((await fetchAuditPage(db.prisma, f({ actor: "_" }))).total).toBe(0);
  });

  it("takes whole UTC days, both ends included", async () => {
    // 22:00 + 120 minutes: 120 entries on Nov 1, none on Nov 2 (the last is 23:59), 4 on Nov 3.
    expect((await fetchAuditPage(db.prisma, f({ to: "2026-11-01" }))).total).toBe(120);
    expect((await fetchAuditPage(db.prisma, f({ from: "2026-11-02" }))).total).toBe(4);
    expect((await fetchAuditPage(db.prisma, f({ from: "2026-11-02", to: "2026-11-02" }))).total).toBe(0);
    expect((await fetchAuditPage(db.prisma, f({ from: "2026-11-03", to: "2026-11-03" }))).total).toBe(4);
  });
});

describe("streamAuditRows", () => {
  it("yields every selected entry once, newest first, across keyset batches", async () => {
    const ids: bigint[] = [];
    for await (const row of streamAuditRows(db.prisma, f({ action: "auth.sign_in" }), 7))
      ids.push(BigInt(row.id));
    expect(ids).toHaveLength(120);
    expect(new Set(ids).size).toBe(120);
    expect(ids).toEqual([...ids].sort((a, b) => (a < b ? 1 : -1)));
  });

  it("does not pick up entries written while it runs", async () => {
    const seen: string[] = [];
    for await (const row of streamAuditRows(db.prisma, f({ actor: "bob@" }), 10)) {
      if (seen.length === 0)
        await audit(db.prisma, { actorEmail: "bob@example.com", action: "auth.sign_in" });
      seen.push(row.id);
    }
    expect(seen).toHaveLength(60);
  });
});

describe("listAuditActions", () => {
  it("lists each action once, sorted", async () => {
    expect(await listAuditActions(db.prisma)).toEqual([
      "account.remove",
      "account.update",
      "auth.sign_in",
      "user.disable",
      "userxdisable",
    ]);
  });
});

describe("the audit log CSV", () => {
  it("has the documented columns, neutralises formulas, and audits the export with its filters and count", async () => {
    const actor = { actorId: "u1", actorEmail: "root@example.com", ip: "198.51.100.1" };
    const chunks: Uint8Array[] = [];
    const rows = auditedAuditRows(db.prisma, f({ action: "account.", page: 4 }), actor);
    for await (const chunk of csvChunks(AUDIT_CSV_COLUMNS, rows)) chunks.push(chunk);
    const text = Buffer.concat(chunks)
      .toString("utf8")
      .replace(/^\uFEFF/, "");
    expect(parseRfc4180(text)).toEqual([
      ["at", "actor", "action", "target", "details", "ip"],
      ["2026-11-03T12:00:00.000Z", "root@example.com", "account.remove", "'=HYPERLINK(1)", '{"n":1}', ""],
      ["2026-11-03T12:00:00.000Z", "root@example.com", "account.update", "50% discount", '{"n":1}', ""],
    ]);
    const entry = await db.prisma.auditLog.findFirstOrThrow({ orderBy: { id: "desc" } });
    expect(entry).toMatchObject({
      ...actor,
      action: AUDIT_EXPORT_ACTION,
      details: { filters: "action=account.", rows: 2, completed: true },
    });
  });

  it("audits an export the reader abandoned as incomplete", async () => {
    const rows = auditedAuditRows(db.prisma, f({}), { actorEmail: "root@example.com" });
    await rows.next();
    await rows.return();
    const entry = await db.prisma.auditLog.findFirstOrThrow({ orderBy: { id: "desc" } });
    expect(entry.details).toEqual({ filters: "", rows: 1, completed: false });
  });

  it("stays append-only: the database refuses to change or remove an entry", async () => {
    const entry = await db.prisma.auditLog.findFirstOrThrow();
    await expect(
      db.prisma.auditLog.update({ where: { id: entry.id }, data: { action: "x" } }),
    ).rejects.toThrow(/append-only/);
    await expect(db.prisma.auditLog.delete({ where: { id: entry.id } })).rejects.toThrow(/append-only/);
  });
});
