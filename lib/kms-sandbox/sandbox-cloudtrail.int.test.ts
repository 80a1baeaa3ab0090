import {
  LookupEventsCommand,
  paginateLookupEvents,
  type CloudTrailClient,
  type Event,
  type LookupEventsCommandInput,
} from "@aws-sdk/client-cloudtrail";
import { EnableKeyRotationCommand } from "@aws-sdk/client-kms";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cloudTrailClient, kmsClient } from "@/test/support/kms-sandbox";
import { generateEstate, keysIn, type Estate, type SandboxKey } from "./estate";
import { startSandbox, type RunningSandbox } from "./server";

const now = new Date(Date.UTC(2026, 10, 30));
const region = "us-east-1";
let sandbox: RunningSandbox;
let estate: Estate;
let accountId: string;
let trail: CloudTrailClient;

beforeAll(async () => {
  sandbox = await startSandbox({
    estate: generateEstate({ accounts: 2, regions: [region, "eu-west-1"], keysPerRegion: 30, seed: 5, now }),
  });
  estate = sandbox.estate;
  accountId = estate.accounts[0]!.id;
  trail = cloudTrailClient(sandbox, accountId, region, { maxAttempts: 1 });
});

afterAll(async () => {
  trail?.destroy();
  await sandbox?.stop();
});

const key = (scenario: string): SandboxKey =>
  keysIn(estate, accountId, region).find((k) => k.scenario === scenario)!;

async function lookupAll(input: LookupEventsCommandInput, client = trail): Promise<Event[]> {
  const events: Event[] = [];
  for await (const page of paginateLookupEvents({ client, pageSize: input.MaxResults ?? 50 }, input))
    events.push(...(page.Events ?? []));
  return events;
}

const byKey = (arn: string) => ({
  LookupAttributes: [{ AttributeKey: "ResourceName" as const, AttributeValue: arn }],
});

describe("LookupEvents", () => {
  it("pages through the region's seeded history newest first, the same with any page size", async () => {
    const all = await lookupAll({});
    expect(all.length).toBeGreaterThan(15);
    const times = all.map((e) => e.EventTime!.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(times.every((t) => t <= now.getTime() && t > now.getTime() - 90 * 86_400_000)).toBe(true);
    const small = await lookupAll({ MaxResults: 4 });
    expect(small.map((e) => e.EventId)).toEqual(all.map((e) => e.EventId));
    expect(new Set(all.map((e) => e.EventId)).size).toBe(all.length);
    const other = cloudTrailClient(sandbox, accountId, "eu-west-1");
    const elsewhere = await lookupAll({}, other);
    expect(elsewhere.some((e) => all.some((a) => a.EventId === e.EventId))).toBe(false);
    other.destroy();
  });

  it("tells who turned a key's rotation off, with the full CloudTrail record", async () => {
    const k = key("enabled-rotation-off");
    const events = await lookupAll(byKey(k.metadata.Arn));
    const off = events.find((e) => e.EventName === "DisableKeyRotation")!;
    expect(off).toMatchObject({
      EventSource: "kms.amazonaws.com",
      ReadOnly: "false",
      Resources: [{ ResourceType: "AWS::KMS::Key", ResourceName: k.metadata.Arn }],
    });
    const record = JSON.parse(off.CloudTrailEvent!);
    expect(record).toMatchObject({
      eventName: "DisableKeyRotation",
      eventSource: "kms.amazonaws.com",
      awsRegion: region,
      eventID: off.EventId,
      eventType: "AwsApiCall",
      readOnly: false,
      recipientAccountId: accountId,
      requestParameters: { keyId: k.metadata.KeyId },
      resources: [{ type: "AWS::KMS::Key", ARN: k.metadata.Arn, accountId }],
    });
    expect(record.userIdentity.arn).toMatch(
      new RegExp(`^arn:aws:(sts::${accountId}:assumed-role/|iam::${accountId}:user/)`),
    );
    expect(record.userIdentity.accountId).toBe(accountId);
    expect(record.sourceIPAddress).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(new Date(record.eventTime).getTime()).toBe(off.EventTime!.getTime());
    expect(events.every((e) => e.Resources![0]!.ResourceName === k.metadata.Arn)).toBe(true);
  });

  it("is the same history for the same estate (deterministic from the seed)", async () => {
    const again = await startSandbox({
      estate: generateEstate({
        accounts: 2,
        regions: [region, "eu-west-1"],
        keysPerRegion: 30,
        seed: 5,
        now,
      }),
    });
    const client = cloudTrailClient(again, accountId, region);
    const [first, second] = await Promise.all([lookupAll({}), lookupAll({}, client)]);
    expect(second.map((e) => [e.EventId, e.EventName, e.Username])).toEqual(
      first.map((e) => [e.EventId, e.EventName, e.Username]),
    );
    client.destroy();
    await again.stop();
  });

  it("filters by event name, user name and time range", async () => {
    const all = await lookupAll({});
    const disabled = await lookupAll({
      LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: "DisableKeyRotation" }],
    });
    expect(disabled.length).toBe(all.filter((e) => e.EventName === "DisableKeyRotation").length);
    expect(disabled.length).toBeGreaterThan(0);
    const jane = await lookupAll({
      LookupAttributes: [{ AttributeKey: "Username", AttributeValue: "jane.doe" }],
    });
    expect(jane.length).toBeGreaterThan(0);
    expect(jane.every((e) => e.Username === "jane.doe")).toBe(true);
    const start = new Date(now.getTime() - 30 * 86_400_000);
    const end = new Date(now.getTime() - 10 * 86_400_000);
    const window = await lookupAll({ StartTime: start, EndTime: end });
    expect(window.map((e) => e.EventId)).toEqual(
      all.filter((e) => e.EventTime! >= start && e.EventTime! <= end).map((e) => e.EventId),
    );
  });

  it("serves a write made through the KMS client as the newest event of its key", async () => {
    const k = key("enabled-rotation-off");
    const kms = kmsClient(sandbox, accountId, region);
    await kms.send(new EnableKeyRotationCommand({ KeyId: k.metadata.KeyId, RotationPeriodInDays: 180 }));
    kms.destroy();
    const [newest] = await lookupAll(byKey(k.metadata.Arn));
    expect(newest).toMatchObject({
      EventName: "EnableKeyRotation",
      Username: "kms-sandbox",
      AccessKeyId: `AKIASBX0${accountId}`,
    });
    const record = JSON.parse(newest!.CloudTrailEvent!);
    expect(record.userIdentity).toMatchObject({
      type: "IAMUser",
      arn: `arn:aws:iam::${accountId}:user/kms-sandbox`,
    });
    expect(record.requestParameters).toEqual({ keyId: k.metadata.KeyId, rotationPeriodInDays: 180 });
    expect(record.sourceIPAddress).toBe("127.0.0.1");
    expect(sandbox.writes().at(-1)!.eventId).toBe(newest!.EventId);
  });

  it("rejects bad input as CloudTrail does", async () => {
    const send = (input: LookupEventsCommandInput) => trail.send(new LookupEventsCommand(input));
    await expect(send({ MaxResults: 51 })).rejects.toMatchObject({ name: "InvalidMaxResultsException" });
    await expect(send({ MaxResults: 0 })).rejects.toMatchObject({ name: "InvalidMaxResultsException" });
    await expect(
      send({
        LookupAttributes: [
          { AttributeKey: "EventName", AttributeValue: "CreateKey" },
          { AttributeKey: "Username", AttributeValue: "jane.doe" },
        ],
      }),
    ).rejects.toMatchObject({ name: "InvalidLookupAttributesException" });
    await expect(
      send({ LookupAttributes: [{ AttributeKey: "Colour" as never, AttributeValue: "x" }] }),
    ).rejects.toMatchObject({ name: "InvalidLookupAttributesException" });
    await expect(send({ StartTime: now, EndTime: new Date(now.getTime() - 1000) })).rejects.toMatchObject({
      name: "InvalidTimeRangeException",
    });
    await expect(send({ NextToken: "bm90LWEtdG9rZW4" })).rejects.toMatchObject({
      name: "InvalidNextTokenException",
    });
    const page = await send({ MaxResults: 2 });
    expect(page.NextToken).toBeDefined();
    // A token belongs to its query: reused with another filter it is refused.
    await expect(
      send({ ...byKey(key("enabled-rotation-off").metadata.Arn), NextToken: page.NextToken }),
    ).rejects.toMatchObject({
      name: "InvalidNextTokenException",
    });
  });

  it("answers the faults: access denied, throttling and server errors", async () => {
    try {
      sandbox.setFaults({ accessDenied: { operations: ["LookupEvents"] } });
      await expect(trail.send(new LookupEventsCommand({}))).rejects.toMatchObject({
        name: "AccessDeniedException",
        message: `User: arn:aws:iam::${accountId}:user/kms-sandbox is not authorized to perform: cloudtrail:LookupEvents because no identity-based policy allows the cloudtrail:LookupEvents action`,
      });
      sandbox.setFaults({ throttleRate: 1 });
      await expect(trail.send(new LookupEventsCommand({}))).rejects.toMatchObject({
        name: "ThrottlingException",
      });
      sandbox.setFaults({ serverErrorRate: 1 });
      await expect(trail.send(new LookupEventsCommand({}))).rejects.toMatchObject({
        $metadata: { httpStatusCode: 500 },
      });
      expect(sandbox.stats().byOperation.LookupEvents).toBeGreaterThan(0);
    } finally {
      sandbox.setFaults({});
    }
  });
});
