import { LookupEventsCommand } from "@aws-sdk/client-cloudtrail";
import { EnableKeyRotationCommand } from "@aws-sdk/client-kms";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorker, type Worker } from "@/lib/collector/queue";
import { generateEstate, keysIn, sandboxCredentialsFor, type RunningSandbox } from "@/lib/kms-sandbox";
import { useFreshDatabase } from "@/test/db";
import { scanAndWait } from "@/test/support/collector";
import { cloudTrailClient, kmsClient, sandboxAccountRow, startDemoSandbox } from "@/test/support/kms-sandbox";
import { loadKeyChangeHistory, readKeyChangeHistory } from "./history";

// "Who changed it" against the sandbox's CloudTrail: the real SDK over HTTP, a real database.

const REGION = "us-east-1";
const estate = generateEstate({ accounts: 2, regions: [REGION], keysPerRegion: 30, seed: "key-history" });
const [alpha, beta] = [estate.accounts[0]!, estate.accounts[1]!];
const db = useFreshDatabase();
let sandbox: RunningSandbox;
let worker: Worker;

const rotationOff = keysIn(estate, alpha.id, REGION).find((k) => k.scenario === "enabled-rotation-off")!;
const lookups = () => sandbox.stats().byOperation.LookupEvents ?? 0;
const keyRowId = async (arn: string) => (await db.prisma.kmsKey.findUniqueOrThrow({ where: { arn } })).id;

beforeAll(async () => {
  // Each failing call is tried twice, not ten times, so the throttling case ends quickly.
  process.env.AWS_MAX_ATTEMPTS = "2";
  sandbox = await startDemoSandbox(estate);
  await db.prisma.awsAccount.createMany({
    data: [sandboxAccountRow(sandbox, alpha, [REGION]), sandboxAccountRow(sandbox, beta, [REGION])],
  });
  worker = await startWorker(db.prisma, db.url, { schedule: false });
  await scanAndWait(db.prisma, worker);
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await sandbox?.stop();
  delete process.env.AWS_MAX_ATTEMPTS;
});

describe("keyChangeHistory", () => {
  it("loads who turned a key's rotation off, newest first, and caches it", async () => {
    const id = await keyRowId(rotationOff.metadata.Arn);
    const result = await loadKeyChangeHistory(db.prisma, id, null);
    expect(result.ok).toBe(true);
    const { history } = result as Extract<typeof result, { ok: true }>;
    expect(history.error).toBeNull();
    expect(history.fetchedAt).toBeInstanceOf(Date);
    // What CloudTrail itself answers for the key, read with the SDK directly.
    const client = cloudTrailClient(sandbox, alpha.id, REGION);
    const answer = await client.send(
      new LookupEventsCommand({
        LookupAttributes: [{ AttributeKey: "ResourceName", AttributeValue: rotationOff.metadata.Arn }],
      }),
    );
    client.destroy();
    const off = answer.Events!.find((e) => e.EventName === "DisableKeyRotation")!;
    const record = JSON.parse(off.CloudTrailEvent!);
    expect(history.events.find((e) => e.eventName === "DisableKeyRotation")).toEqual({
      eventId: off.EventId,
      eventName: "DisableKeyRotation",
      eventTime: off.EventTime,
      region: REGION,
      principalArn: record.userIdentity.arn,
      sourceAddress: record.sourceIPAddress,
      rotationPeriodDays: null,
    });
    const times = history.events.map((e) => e.eventTime.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(await readKeyChangeHistory(db.prisma, rotationOff.metadata.Arn)).toEqual(history);
  });

  it("serves the cache within the hour and fetches again on refresh, with a new write on top", async () => {
    const id = await keyRowId(rotationOff.metadata.Arn);
    const before = lookups();
    const cached = await loadKeyChangeHistory(db.prisma, id, null);
    expect(lookups()).toBe(before);
    const kms = kmsClient(sandbox, alpha.id, REGION);
    await kms.send(
      new EnableKeyRotationCommand({ KeyId: rotationOff.metadata.KeyId, RotationPeriodInDays: 180 }),
    );
    kms.destroy();
    const actor = { actorId: null, actorEmail: "viewer@example.com", ip: "192.0.2.1" };
    const refreshed = await loadKeyChangeHistory(db.prisma, id, null, { maxAgeMs: 0, actor });
    expect(lookups()).toBe(before + 1);
    expect(
      await db.prisma.auditLog.findFirst({
        where: { action: "key.history.fetch", target: rotationOff.metadata.Arn },
      }),
    ).toMatchObject({ actorEmail: "viewer@example.com", ip: "192.0.2.1" });
    const history = (refreshed as Extract<typeof refreshed, { ok: true }>).history;
    expect(history.events[0]).toMatchObject({
      eventName: "EnableKeyRotation",
      principalArn: `arn:aws:iam::${alpha.id}:user/kms-sandbox`,
      rotationPeriodDays: 180,
      sourceAddress: "127.0.0.1",
    });
    expect(history.events.length).toBe(
      (cached as Extract<typeof cached, { ok: true }>).history.events.length + 1,
    );
  });

  it("says the role lacks cloudtrail:LookupEvents when access is denied, and keeps the cached events", async () => {
    const id = await keyRowId(rotationOff.metadata.Arn);
    const kept = await readKeyChangeHistory(db.prisma, rotationOff.metadata.Arn);
    sandbox.setFaults({ accessDenied: { operations: ["LookupEvents"] } });
    try {
      const result = await loadKeyChangeHistory(db.prisma, id, null, { maxAgeMs: 0 });
      const { history } = result as Extract<typeof result, { ok: true }>;
      expect(history.error).toMatchObject({ kind: "access-denied" });
      expect(history.error!.message).toContain('add cloudtrail:LookupEvents (Resource "*")');
      expect(history.events).toEqual(kept!.events);
      expect(history.fetchedAt).toEqual(kept!.fetchedAt);
      expect(await readKeyChangeHistory(db.prisma, rotationOff.metadata.Arn)).toEqual(history);
    } finally {
      sandbox.setFaults({});
    }
  });

  it("reports throttling in words, keeps the cache, and clears the error on the next success", async () => {
    const id = await keyRowId(rotationOff.metadata.Arn);
    const kept = await readKeyChangeHistory(db.prisma, rotationOff.metadata.Arn);
    sandbox.setFaults({ throttleRate: 1 });
    let result;
    try {
      result = await loadKeyChangeHistory(db.prisma, id, null);
    } finally {
      sandbox.setFaults({});
    }
    const { history } = result as Extract<typeof result, { ok: true }>;
    expect(history.error).toMatchObject({ kind: "throttled", message: expect.stringContaining("Try again") });
    expect(history.events).toEqual(kept!.events);
    // An errored cache is fetched again even within the hour.
    const again = await loadKeyChangeHistory(db.prisma, id, null);
    expect((again as Extract<typeof again, { ok: true }>).history.error).toBeNull();
  }, 60_000);

  it("refuses a key outside the user's accounts without calling CloudTrail", async () => {
    const id = await keyRowId(rotationOff.metadata.Arn);
    const before = lookups();
    for (const scope of [[beta.id], []]) {
      expect(await loadKeyChangeHistory(db.prisma, id, scope, { maxAgeMs: 0 })).toEqual({
        ok: false,
        message: "This key does not exist or is not in your accounts.",
      });
    }
    expect(lookups()).toBe(before);
    expect((await loadKeyChangeHistory(db.prisma, id, [alpha.id], { maxAgeMs: 0 })).ok).toBe(true);
  });

  it("reads CloudTrail as the scanning role, like a scan (an assumed read-only role, no AWS_ENDPOINT_URL_CLOUDTRAIL)", async () => {
    // beta's read-only role needs no ExternalId; its endpoint is allowed by the operator's list.
    // The console's own credentials (the default chain) assume the role.
    const own = sandboxCredentialsFor(alpha.id);
    Object.assign(process.env, {
      INSIGHTS_ALLOWED_ENDPOINT_HOSTS: new URL(sandbox.url).host,
      AWS_ACCESS_KEY_ID: own.accessKeyId,
      AWS_SECRET_ACCESS_KEY: own.secretAccessKey,
    });
    await db.prisma.awsAccount.update({
      where: { id: beta.id },
      data: { accessMethod: "ROLE", roleArn: beta.role!.roleArn, endpointUrl: sandbox.url },
    });
    try {
      const k = keysIn(estate, beta.id, REGION).find((x) => x.scenario === "enabled-rotation-off")!;
      const before = sandbox.stats();
      const result = await loadKeyChangeHistory(db.prisma, await keyRowId(k.metadata.Arn), null);
      expect(result).toMatchObject({ ok: true, history: { error: null } });
      const { history } = result as Extract<typeof result, { ok: true }>;
      expect(history.events.some((e) => e.eventName === "DisableKeyRotation")).toBe(true);
      // The role was assumed, then LookupEvents was called in beta's account (as the role's session).
      const after = sandbox.stats();
      expect((after.byOperation.AssumeRole ?? 0) - (before.byOperation.AssumeRole ?? 0)).toBe(1);
      expect((after.byAccount[beta.id] ?? 0) - (before.byAccount[beta.id] ?? 0)).toBe(1);
    } finally {
      for (const name of ["INSIGHTS_ALLOWED_ENDPOINT_HOSTS", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"])
        delete process.env[name];
      await db.prisma.awsAccount.update({
        where: { id: beta.id },
        data: { accessMethod: "SANDBOX", roleArn: null },
      });
    }
  });

  it("stores an empty history for a key CloudTrail has nothing on", async () => {
    const awsManaged = keysIn(estate, beta.id, REGION).find((k) => k.metadata.KeyManager === "AWS")!;
    const result = await loadKeyChangeHistory(db.prisma, await keyRowId(awsManaged.metadata.Arn), null);
    expect(result).toMatchObject({ ok: true, history: { events: [], error: null } });
  });
});
