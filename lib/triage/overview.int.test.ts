import { beforeEach, describe, expect, it } from "vitest";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { Severity } from "@/lib/generated/prisma/enums";
import type { AccountScope } from "@/lib/auth/account-scope";
import { parseInsightFilters } from "@/lib/insight-table/filters";
import { fetchInsightPage } from "@/lib/insight-table/query";
import { exceptedHref, overdueHref } from "@/lib/insight-table/table-href";
import { useFreshDatabase } from "@/test/db";
import { addAccount, addKey } from "@/test/fixtures/dashboard-rows";
import { fetchExceptedFindings } from "./excepted-findings";
import { fetchExpiringExceptions } from "./expiring-exceptions";
import { fetchOpenFindingAges } from "./open-findings";
import { fetchTimeToResolve } from "./time-to-resolve";

// The overview's triage figures from rows: keys inserted with their evaluation date (the lifecycle
// trigger derives status, failing since and due from it), events and exceptions inserted as the
// triggers and the exception service would have written them, at chosen times.

const db = useFreshDatabase({ perTest: true });
let prisma: PrismaClient;
const A = "111111111111";
const B = "222222222222";
const DAY = 86_400_000;
// Noon UTC today: the keys below start failing at whole or half days from it, away from the day
// boundaries by which ages count.
const now = new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000 + 43_200_000);
const ago = (days: number) => new Date(now.getTime() - days * DAY);
const ahead = (days: number) => new Date(now.getTime() + days * DAY);

beforeEach(async () => {
  prisma = db.prisma;
  await addAccount(prisma, A, "Alpha");
  await addAccount(prisma, B, "Beta");
});

const failing = (severity: Severity, days: number, accountId = A, extra = {}) =>
  addKey(prisma, { accountId, region: "eu-west-1", severity, evaluatedAt: ago(days), ...extra });

async function addException(fields: {
  accounts?: string[];
  expiresAt: Date;
  approved?: boolean;
  revoked?: boolean;
  justification?: string;
  keyArns?: string[];
}) {
  const id = `x-${Math.random().toString(36).slice(2, 10)}`;
  return prisma.findingException.create({
    data: {
      id,
      seriesId: id,
      kind: "ACCEPTED_RISK",
      justification: fields.justification ?? "Legacy system",
      ownerEmail: "owner@example.com",
      createdByEmail: "admin@example.com",
      expiresAt: fields.expiresAt,
      accounts: fields.accounts ?? [],
      keyArns: fields.keyArns ?? [],
      approvedAt: fields.approved === false ? null : now,
      approvedByEmail: fields.approved === false ? null : "admin@example.com",
      revokedAt: fields.revoked ? now : null,
    },
  });
}

/** The insight table's total for a link, parsed from the link as the page would. */
const linkTotal = async (href: string, scope: AccountScope) =>
  (await fetchInsightPage(prisma, parseInsightFilters(new URL(href, "http://x").searchParams).filters, scope))
    .total;

describe("open findings by age and overdue", () => {
  it("buckets open findings by whole days failing, counts the overdue ones as the overdue link does, and leaves excepted, passing and gone keys out", async () => {
    for (const days of [3.5, 8.5, 30.5, 31.5, 90.5, 91.5]) await failing("CRITICAL", days);
    await failing("WARNING", 50.5);
    await failing("WARNING", 100.5);
    await failing("OK", 200);
    await failing("CRITICAL", 200, A, { goneAt: ago(1) });
    const x = await addException({ accounts: [A], expiresAt: ahead(30) });
    await failing("CRITICAL", 200, A, { exceptionId: x.id });
    await failing("CRITICAL", 40, B);

    const ages = await fetchOpenFindingAges(prisma, [A], now);
    // CRITICAL is due after 30 days, WARNING after 90.
    expect(ages).toEqual({ days0to7: 1, days8to30: 2, days31to90: 3, over90: 2, overdue: 5 });
    expect(await linkTotal(overdueHref(), [A])).toBe(5);
    expect(await linkTotal(exceptedHref(), [A])).toBe(1);

    const all = await fetchOpenFindingAges(prisma, null, now);
    expect(all.days31to90).toBe(4);
    expect(all.overdue).toBe(6);
    expect(await linkTotal(overdueHref(), null)).toBe(6);
    expect(await fetchOpenFindingAges(prisma, [], now)).toEqual({
      days0to7: 0,
      days8to30: 0,
      days31to90: 0,
      over90: 0,
      overdue: 0,
    });
  });
});

describe("time to resolve", () => {
  it("averages and takes the median, per severity, of each resolution of the last 90 days from the event that opened it", async () => {
    const keys = await Promise.all([
      failing("OK", 1),
      failing("OK", 1),
      failing("OK", 1),
      failing("OK", 1),
      failing("OK", 1),
      failing("OK", 1, B),
    ]);
    const event = (i: number, kind: "NEW" | "RESOLVED" | "REOPENED", days: number, severity: Severity) => ({
      kmsKeyId: keys[i]!.id,
      accountId: keys[i]!.accountId,
      region: "eu-west-1",
      at: ago(days),
      kind,
      severity,
    });
    // Inserted oldest first, as the triggers would have.
    await prisma.findingEvent.createMany({
      data: [
        event(2, "NEW", 200, "CRITICAL"),
        event(1, "NEW", 100, "CRITICAL"),
        event(2, "RESOLVED", 95, "OK"), // resolved before the window
        event(1, "RESOLVED", 80, "OK"), // 20 days
        event(3, "NEW", 30, "WARNING"),
        event(3, "RESOLVED", 20, "OK"), // 10 days
        event(0, "NEW", 10, "CRITICAL"),
        event(3, "REOPENED", 10, "WARNING"),
        event(5, "NEW", 10, "CRITICAL"), // another account
        event(3, "RESOLVED", 5, "OK"), // 5 days
        event(0, "RESOLVED", 4, "OK"), // 6 days
        event(5, "RESOLVED", 4, "OK"),
        event(4, "NEW", 3, "CRITICAL"),
        event(4, "RESOLVED", 2, "OK"), // 1 day
      ],
    });
    // Events written without the trigger get their opening as the migration gives older ones.
    await prisma.$executeRaw`SELECT finding_events_fill_opened()`;
    const times = await fetchTimeToResolve(prisma, [A], now);
    expect(times.map((t) => t.severity)).toEqual(["CRITICAL", "WARNING"]);
    expect(times[0]!.resolved).toBe(3);
    expect(times[0]!.meanDays).toBeCloseTo(9, 6);
    expect(times[0]!.medianDays).toBeCloseTo(6, 6);
    expect(times[1]!.resolved).toBe(2);
    expect(times[1]!.meanDays).toBeCloseTo(7.5, 6);
    expect(times[1]!.medianDays).toBeCloseTo(7.5, 6);
    expect((await fetchTimeToResolve(prisma, null, now))[0]!.resolved).toBe(4);
    expect(await fetchTimeToResolve(prisma, [], now)).toEqual([]);
  });
});

describe("exceptions expiring within 14 days", () => {
  it("lists those in force that expire within 14 days, soonest first, with the keys they cover in scope", async () => {
    const later = await addException({ accounts: [A], expiresAt: ahead(10), justification: "later" });
    const soon = await addException({ accounts: [A], expiresAt: ahead(2), justification: "soon" });
    const everywhere = await addException({ expiresAt: ahead(5), justification: "every account" });
    const other = await addException({ accounts: [B], expiresAt: ahead(3), justification: "beta" });
    const notYet = await addException({ accounts: [A], expiresAt: ahead(20), justification: "not yet" });
    await addException({ accounts: [A], expiresAt: ahead(1), revoked: true, justification: "revoked" });
    await addException({ accounts: [A], expiresAt: ahead(1), approved: false, justification: "pending" });
    await failing("CRITICAL", 3, A, { exceptionId: soon.id });
    await failing("CRITICAL", 3, A, { exceptionId: soon.id });
    await failing("CRITICAL", 3, B, { exceptionId: everywhere.id });

    const forA = await fetchExpiringExceptions(prisma, [A], now);
    expect(forA.total).toBe(3);
    expect(forA.list.map((x) => [x.id, x.keys])).toEqual([
      [soon.id, 2],
      [everywhere.id, 0],
      [later.id, 0],
    ]);
    expect(forA.list[0]).toMatchObject({
      kind: "accepted-risk",
      justification: "soon",
      owner: "owner@example.com",
      scope: `rule: accounts ${A}`,
    });
    const all = await fetchExpiringExceptions(prisma, null, now);
    expect(all.list.map((x) => x.id)).toEqual([soon.id, other.id, everywhere.id, later.id]);
    expect(all.list[2]!.keys).toBe(1);
    // Nine days on, the first ones have expired and the one 20 days away is within 14 days.
    expect((await fetchExpiringExceptions(prisma, null, ahead(9))).list.map((x) => x.id)).toEqual([
      later.id,
      notYet.id,
    ]);
  });
});

describe("excepted findings", () => {
  it("lists failing keys under an exception in force with their exception, within the scope", async () => {
    const x = await addException({
      accounts: [A, B],
      expiresAt: ahead(40),
      justification: "Vendor appliance",
    });
    const covered = await failing("CRITICAL", 3, A, { exceptionId: x.id, aliases: ["alias/vendor"] });
    // Covered but passing: not a finding.
    await failing("OK", 3, A, { exceptionId: x.id });
    await failing("WARNING", 3, B, { exceptionId: x.id });
    await failing("CRITICAL", 3, A);

    const list = await fetchExceptedFindings(prisma, [A]);
    expect(list).toEqual([
      {
        id: covered.id,
        keyId: covered.keyId,
        arn: covered.arn,
        accountId: A,
        region: "eu-west-1",
        aliases: ["alias/vendor"],
        severity: "CRITICAL",
        exception: {
          id: x.id,
          kind: "accepted-risk",
          justification: "Vendor appliance",
          owner: "owner@example.com",
          expiresAt: x.expiresAt,
        },
      },
    ]);
    expect(await fetchExceptedFindings(prisma, null)).toHaveLength(2);
    expect(await fetchExceptedFindings(prisma, null, 1)).toHaveLength(1);
  });
});
