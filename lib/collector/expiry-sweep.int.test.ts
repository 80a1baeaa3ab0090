import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorker, type Worker } from "@/lib/collector/queue";
import { createException } from "@/lib/exceptions/service";
import { setSetting } from "@/lib/settings";
import { createUser } from "@/lib/users/service";
import { useFreshDatabase } from "@/test/db";
import { seedInsightRows } from "@/test/fixtures/insight-rows";

// The scheduling worker ends expired exceptions and marks overdue findings by itself: no page,
// export or CLI read runs here.

const db = useFreshDatabase();
const DAY = 86_400_000;
let worker: Worker | undefined;

beforeAll(async () => {
  await seedInsightRows(db.prisma);
  await setSetting(db.prisma, "scan.intervalHours", 0); // no scheduled scan: only the sweep runs
  await createUser(db.prisma, { email: "owner@example.com", password: "owner password 1", role: "admin" });
});

afterAll(async () => {
  await worker?.stop();
});

/** An exception over `arn` that came into force 100 days ago and expired 10 days ago. */
async function expiredException(arn: string): Promise<string> {
  const { id } = await createException(
    db.prisma,
    {
      kind: "accepted-risk",
      justification: "Until the migration.",
      ownerEmail: "owner@example.com",
      expires: new Date(Date.now() - 10 * DAY).toISOString().slice(0, 10),
      ticketUrl: "",
      scope: { keyArns: [arn], accounts: [], regions: [], tagKey: null, tagValues: [], aliasPrefix: null },
    },
    { actorEmail: "cli", role: "ADMIN", scope: null },
    { now: new Date(Date.now() - 100 * DAY) },
  );
  return id;
}

async function waitForOpen(arn: string) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const key = await db.prisma.kmsKey.findUniqueOrThrow({ where: { arn } });
    if (key.status === "OPEN") return key;
    expect(Date.now(), `${arn} is still ${key.status}`).toBeLessThan(deadline);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("the worker's expiry sweep", () => {
  it(
    "opens the findings of exceptions that expired, at start and then on its schedule",
    { timeout: 60_000 },
    async () => {
      const [first, second] = await db.prisma.kmsKey.findMany({
        where: { goneAt: null, severity: "CRITICAL" },
        orderBy: { keyId: "asc" },
        take: 2,
      });
      const before = await expiredException(first!.arn);
      expect(await db.prisma.kmsKey.findUniqueOrThrow({ where: { arn: first!.arn } })).toMatchObject({
        status: "EXCEPTED",
        exceptionId: before,
      });

      worker = await startWorker(db.prisma, db.url, { schedule: true, sweepMs: 200 });
      const x = await db.prisma.findingException.findUniqueOrThrow({ where: { id: before } });
      expect(await waitForOpen(first!.arn)).toMatchObject({
        exceptionId: null,
        exceptionExpiredAt: x.expiresAt,
      });

      // One that expires (here: is found expired) while the worker runs.
      const during = await expiredException(second!.arn);
      expect((await db.prisma.kmsKey.findUniqueOrThrow({ where: { arn: second!.arn } })).status).toBe(
        "EXCEPTED",
      );
      await waitForOpen(second!.arn);
      const ended = await db.prisma.findingEvent.findMany({
        where: { kind: "EXCEPTION_ENDED" },
        orderBy: { id: "asc" },
      });
      expect(ended.map((e) => [e.kmsKeyId, e.reason, e.exceptionId])).toEqual([
        [first!.id, "EXPIRED", before],
        [second!.id, "EXPIRED", during],
      ]);
    },
  );

  it(
    "marks the findings that fall due as overdue, and the count tables count them so",
    { timeout: 60_000 },
    async () => {
      worker ??= await startWorker(db.prisma, db.url, { schedule: true, sweepMs: 200 });
      const key = await db.prisma.kmsKey.findFirstOrThrow({
        where: { goneAt: null, status: "OPEN" },
        orderBy: { keyId: "asc" },
      });
      // Due in a moment: not overdue when written; then only the clock moves.
      await db.prisma
        .$executeRaw`UPDATE kms_keys SET due_at = now() + interval '1 second' WHERE id = ${key.id}`;
      expect((await db.prisma.kmsKey.findUniqueOrThrow({ where: { id: key.id } })).overdue).toBe(false);
      const counted = () =>
        db.prisma.kmsKeyCount.aggregate({
          _sum: { count: true },
          where: { accountId: key.accountId, region: key.region, severity: key.severity, overdue: true },
        });
      const before = (await counted())._sum.count ?? 0;
      const deadline = Date.now() + 20_000;
      while (!(await db.prisma.kmsKey.findUniqueOrThrow({ where: { id: key.id } })).overdue) {
        expect(Date.now(), "the sweep marks the finding").toBeLessThan(deadline);
        await new Promise((r) => setTimeout(r, 100));
      }
      expect((await counted())._sum.count).toBe(before + 1);
    },
  );
});
