import { DisableKeyRotationCommand, EnableKeyRotationCommand } from "@aws-sdk/client-kms";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AccountScope } from "@/lib/auth/account-scope";
import { startWorker, type Worker } from "@/lib/collector/queue";
import { createException, revokeException } from "@/lib/exceptions/service";
import { fetchKeyDetail } from "@/lib/insight-table/key-detail";
import { parseInsightFilters } from "@/lib/insight-table/filters";
import { fetchInsightPage } from "@/lib/insight-table/query";
import { findingChangeHref } from "@/lib/insight-table/table-href";
import { generateEstate, type RunningSandbox } from "@/lib/kms-sandbox";
import { fetchScanHistory } from "@/lib/scans/history";
import { createUser } from "@/lib/users/service";
import { useFreshDatabase } from "@/test/db";
import { scanAndWait } from "@/test/support/collector";
import { kmsClient, sandboxAccountRow, startDemoSandbox } from "@/test/support/kms-sandbox";
import { FINDING_CHANGES } from "./status";
import { fetchDeltaTrend, fetchLatestDelta } from "./scan-delta";

// The triage read views over real scans: the sandbox flips rotation between scans, and the
// overview's "since the previous scan" numbers must equal what their links show in the table,
// for every scope; the scans page sums each scan's delta; the key page tells the finding's life.

const REGION = "us-east-1";
const estate = generateEstate({ accounts: 2, regions: [REGION], keysPerRegion: 40, seed: "triage-views" });
const [alpha, beta] = [estate.accounts[0]!, estate.accounts[1]!];
const db = useFreshDatabase();
let sandbox: RunningSandbox;
let worker: Worker;
const admin = { actorEmail: "admin@example.com", role: "ADMIN" as const, scope: null };

beforeAll(async () => {
  sandbox = await startDemoSandbox(estate);
  await db.prisma.awsAccount.createMany({
    data: [sandboxAccountRow(sandbox, alpha, [REGION]), sandboxAccountRow(sandbox, beta, [REGION])],
  });
  await createUser(db.prisma, {
    email: "admin@example.com",
    password: "correct horse battery",
    role: "admin",
  });
  worker = await startWorker(db.prisma, db.url, { schedule: false });
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await sandbox?.stop();
});

const SCOPES: AccountScope[] = [null, [alpha.id], [beta.id]];

/** The table's total behind each link of the delta line, parsed from the link as the page would. */
async function linkTotals(scope: AccountScope) {
  const totals: Record<string, number> = {};
  for (const change of FINDING_CHANGES) {
    const url = new URL(findingChangeHref(change), "http://console");
    totals[change] = (
      await fetchInsightPage(db.prisma, parseInsightFilters(url.searchParams).filters, scope)
    ).total;
  }
  return totals;
}

/** The delta line's numbers, and checks that each equals its link's total. */
async function deltaMatchingLinks(scope: AccountScope) {
  const delta = await fetchLatestDelta(db.prisma, scope);
  expect(delta, `a delta for scope ${JSON.stringify(scope)}`).not.toBeNull();
  const numbers = { new: delta!.new, resolved: delta!.resolved, reopened: delta!.reopened };
  expect(await linkTotals(scope), `links for scope ${JSON.stringify(scope)}`).toEqual(numbers);
  return { ...numbers, scanId: delta!.scanId };
}

const keyIdsOf = async (accountId: string, reason: string) =>
  (await db.prisma.kmsKey.findMany({ where: { accountId, reason }, orderBy: { keyId: "asc" } })).map(
    (k) => k.keyId,
  );
const rotation = (accountId: string, keyId: string, on: boolean) =>
  kmsClient(sandbox, accountId, REGION).send(
    on
      ? new EnableKeyRotationCommand({ KeyId: keyId, RotationPeriodInDays: 365 })
      : new DisableKeyRotationCommand({ KeyId: keyId }),
  );

describe("since the previous scan", () => {
  const scans: string[] = [];
  let alphaOff: string[] = [];

  it("counts every failing finding new after the first scan, as the new link does", async () => {
    scans.push((await scanAndWait(db.prisma, worker)).id);
    const failing = await db.prisma.kmsKey.count({ where: { status: "OPEN" } });
    expect(failing).toBeGreaterThan(0);
    expect(await deltaMatchingLinks(null)).toEqual({
      new: failing,
      resolved: 0,
      reopened: 0,
      scanId: scans[0],
    });
    for (const scope of SCOPES) await deltaMatchingLinks(scope);
    expect(await fetchLatestDelta(db.prisma, [])).toBeNull();
  });

  it("counts the next scan's changes per scope, and each link shows as many findings", async () => {
    alphaOff = await keyIdsOf(alpha.id, "ROTATION_DISABLED");
    const betaOff = await keyIdsOf(beta.id, "ROTATION_DISABLED");
    const alphaOn = await keyIdsOf(alpha.id, "ROTATION_ENABLED");
    expect(alphaOff.length).toBeGreaterThanOrEqual(2);
    expect(betaOff.length).toBeGreaterThanOrEqual(1);
    await rotation(alpha.id, alphaOff[0]!, true);
    await rotation(alpha.id, alphaOff[1]!, true);
    await rotation(beta.id, betaOff[0]!, true);
    await rotation(alpha.id, alphaOn[0]!, false);
    scans.push((await scanAndWait(db.prisma, worker)).id);

    expect(await deltaMatchingLinks(null)).toEqual({ new: 1, resolved: 3, reopened: 0, scanId: scans[1] });
    expect(await deltaMatchingLinks([alpha.id])).toMatchObject({ new: 1, resolved: 2, reopened: 0 });
    expect(await deltaMatchingLinks([beta.id])).toMatchObject({ new: 0, resolved: 1, reopened: 0 });
  });

  it("takes the latest scan that covered the scope: a scan of one account leaves the other's line as it was", async () => {
    await rotation(alpha.id, alphaOff[0]!, false);
    scans.push((await scanAndWait(db.prisma, worker, { accountIds: [alpha.id] })).id);
    expect(await deltaMatchingLinks(null)).toEqual({ new: 0, resolved: 0, reopened: 1, scanId: scans[2] });
    expect(await deltaMatchingLinks([alpha.id])).toMatchObject({ reopened: 1, scanId: scans[2] });
    expect(await deltaMatchingLinks([beta.id])).toEqual({
      new: 0,
      resolved: 1,
      reopened: 0,
      scanId: scans[1],
    });
  });

  it("gives the scans page each scan's delta summed over its account-regions in scope", async () => {
    const viewer = (accountScope: AccountScope) => ({
      email: "v@example.com",
      role: "viewer" as const,
      accountScope,
    });
    const all = await fetchScanHistory(db.prisma, { page: 1 }, viewer(null));
    expect(all.scans.map((s) => [s.id, s.delta?.new, s.delta?.resolved, s.delta?.reopened])).toEqual([
      [scans[2], 0, 0, 1],
      [scans[1], 1, 3, 0],
      [scans[0], expect.any(Number), 0, 0],
    ]);
    const stillFailing = await db.prisma.kmsKey.count({ where: { accountId: alpha.id, status: "OPEN" } });
    expect(all.scans[0]!.delta?.stillFailing).toBe(stillFailing - 1);
    const beta_ = await fetchScanHistory(db.prisma, { page: 1 }, viewer([beta.id]));
    expect(beta_.scans.map((s) => [s.id, s.delta?.resolved])).toEqual([
      [scans[1], 1],
      [scans[0], 0],
    ]);
    // The overview's chart: the same deltas, oldest first, the last ones only.
    expect((await fetchDeltaTrend(db.prisma, null)).map((d) => [d.scanId, d.resolved])).toEqual([
      [scans[0], 0],
      [scans[1], 3],
      [scans[2], 0],
    ]);
    expect((await fetchDeltaTrend(db.prisma, [beta.id], 1)).map((d) => d.scanId)).toEqual([scans[1]]);
  });

  it("tells the reopened finding's life on its key page, with its scans and its exception's versions", async () => {
    const key = await db.prisma.kmsKey.findFirstOrThrow({ where: { keyId: alphaOff[0]! } });
    const created = await createException(
      db.prisma,
      {
        kind: "false-positive",
        justification: "Rotated by the vendor's own schedule",
        ownerEmail: "admin@example.com",
        expires: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10),
        ticketUrl: "",
        scope: {
          keyArns: [key.arn],
          accounts: [],
          regions: [],
          tagKey: null,
          tagValues: [],
          aliasPrefix: null,
        },
      },
      admin,
    );
    const excepted = await fetchKeyDetail(db.prisma, key.id, [alpha.id]);
    expect(excepted?.key).toMatchObject({ status: "EXCEPTED", reopenedCount: 1 });
    expect(excepted?.triage.exception).toMatchObject({
      id: created.id,
      kind: "false-positive",
      justification: "Rotated by the vendor's own schedule",
      owner: "admin@example.com",
    });

    await revokeException(db.prisma, created.id, admin);
    const detail = await fetchKeyDetail(db.prisma, key.id, null);
    expect(detail?.triage.exception).toBeNull();
    const steps = detail!.triage.timeline.map((e) =>
      e.type === "finding"
        ? [e.kind, e.scan?.id ?? null, e.reason]
        : [`exception ${e.action}`, e.exception.id],
    );
    expect(steps).toEqual([
      ["EXCEPTION_ENDED", null, "REVOKED"],
      ["exception revoked", created.id],
      ["EXCEPTED", null, "ROTATION_DISABLED"],
      ["exception approved", created.id],
      ["exception created", created.id],
      ["REOPENED", scans[2], "ROTATION_DISABLED"],
      ["RESOLVED", scans[1], "ROTATION_ENABLED"],
      ["NEW", scans[0], "ROTATION_DISABLED"],
    ]);
    // Out of scope, the key (and so its timeline) is not found.
    expect(await fetchKeyDetail(db.prisma, key.id, [beta.id])).toBeNull();
  });
});
