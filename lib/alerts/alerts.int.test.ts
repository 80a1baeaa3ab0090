import { DisableKeyRotationCommand, EnableKeyRotationCommand, type KMSClient } from "@aws-sdk/client-kms";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addAccount } from "@/lib/accounts/service";
import { startWorker, type Worker } from "@/lib/collector/queue";
import { createException } from "@/lib/exceptions/service";
import { generateEstate, sandboxEnvironment, startSandbox, type RunningSandbox } from "@/lib/kms-sandbox";
import { createUser } from "@/lib/users/service";
import { useFreshDatabase } from "@/test/db";
import {
  startHttpReceiver,
  startSmtpReceiver,
  type HttpReceiver,
  type SmtpReceiver,
} from "@/test/support/alert-receivers";
import { scanAndWait } from "@/test/support/collector";
import { kmsClient } from "@/test/support/kms-sandbox";
import { sendTestMessage } from "./deliver";
import { destinationInputSchema } from "./destination-schema";
import { createDestination, listDestinations } from "./destinations";
import { AlertInputError } from "./errors";
import type { AlertPayload } from "./payload";
import { ruleInputSchema } from "./rule-schema";
import { createRule } from "./rules";
import { verifySignature } from "./signature";

// Alerts over real scans (the sandbox through the real SDK, real PostgreSQL, the real queue) to
// local receivers: a webhook whose signature is checked, a Slack-shaped endpoint and an SMTP server.

const REGION = "us-east-1";
const estate = generateEstate({ accounts: 1, regions: [REGION], keysPerRegion: 60, seed: "alerts-it" });
const account = estate.accounts[0]!;
const ORIGIN = "https://console.example.com";
const SECRET = "a-webhook-signing-secret-of-32-chars";
const admin = { actorEmail: "admin@example.com" };

const db = useFreshDatabase();
let sandbox: RunningSandbox;
let worker: Worker;
let kms: KMSClient;
let webhook: HttpReceiver;
let slack: HttpReceiver;
let smtp: SmtpReceiver;
let scoped: HttpReceiver;
const savedEnv = { ...process.env };
const ids = { webhook: "", slack: "", email: "", newRule: "", slaRule: "", expiringRule: "", failedRule: "" };

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until<T>(what: string, get: () => Promise<T>, ok: (v: T) => boolean, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await get();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await wait(200);
  }
}
/** The scan's messages once none is pending or retrying. */
async function settledDeliveries(scanId: string) {
  await until(
    `the evaluation of scan ${scanId}`,
    () => db.prisma.alertScanEvaluation.count({ where: { scanId } }),
    (n) => n === 1,
  );
  return until(
    `the deliveries of scan ${scanId}`,
    () =>
      db.prisma.alertDelivery.findMany({
        where: { scanId },
        include: { attemptLog: { orderBy: { attempt: "asc" } }, rule: true },
      }),
    (rows) => rows.every((r) => r.status === "SENT" || r.status === "FAILED"),
  );
}
const webhookPayloads = () =>
  webhook.requests.map((r) => ({ request: r, payload: JSON.parse(r.body) as AlertPayload }));
const arnOf = (keyId: string) => `arn:aws:kms:${REGION}:${account.id}:key/${keyId}`;
const judged = async (reason: string) =>
  (await db.prisma.kmsKey.findMany({ where: { reason }, orderBy: { keyId: "asc" } })).map((k) => k.keyId);

beforeAll(async () => {
  [sandbox, webhook, slack, smtp, scoped] = await Promise.all([
    startSandbox({ estate }),
    startHttpReceiver(),
    startHttpReceiver(),
    startSmtpReceiver(),
    startHttpReceiver(),
  ]);
  Object.assign(process.env, {
    ...sandboxEnvironment(sandbox.url, account.id, REGION),
    INSIGHTS_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString("base64"),
    INSIGHTS_ALLOWED_ENDPOINT_HOSTS: "127.0.0.1",
  });
  await addAccount(db.prisma, { id: account.id, name: account.name, regions: [REGION] });
  await createUser(db.prisma, {
    email: "admin@example.com",
    password: "correct horse battery",
    role: "admin",
  });
  kms = kmsClient(sandbox, account.id, REGION);
  worker = await startWorker(db.prisma, db.url, {
    schedule: false,
    alerts: { retryDelaySeconds: 1, origin: ORIGIN },
  });
}, 120_000);

afterAll(async () => {
  kms?.destroy();
  await worker?.stop();
  await Promise.all([sandbox?.stop(), webhook?.close(), slack?.close(), smtp?.close(), scoped?.close()]);
  process.env = savedEnv;
});

describe("destinations", () => {
  it("refuses hosts the allow-list does not name, saving nothing", async () => {
    const cases = [
      { kind: "WEBHOOK", name: "Metadata", url: "http://169.254.169.254/latest", secret: SECRET },
      { kind: "SLACK", name: "Not Slack", slackUrl: "https://hooks.example.com/services/T0/B0/x" },
      {
        kind: "EMAIL",
        name: "Mail",
        host: "smtp.example.com",
        port: "587",
        security: "starttls",
        from: "a@example.com",
        to: "b@example.com",
      },
    ];
    for (const input of cases) {
      const parsed = destinationInputSchema.parse(input);
      const err = await createDestination(db.prisma, parsed, admin).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AlertInputError);
      expect((err as Error).message).toMatch(/is not an allowed host: .*INSIGHTS_ALLOWED_ENDPOINT_HOSTS/);
    }
    expect(await db.prisma.alertDestination.count()).toBe(0);
  });

  it("stores each secret encrypted, shows none back, and audits each creation", async () => {
    const made = await Promise.all([
      createDestination(
        db.prisma,
        destinationInputSchema.parse({
          kind: "WEBHOOK",
          name: "SIEM",
          url: `${webhook.url}/hook`,
          secret: SECRET,
        }),
        admin,
      ),
      createDestination(
        db.prisma,
        destinationInputSchema.parse({
          kind: "SLACK",
          name: "Slack",
          slackUrl: `${slack.url}/services/T1/B1/s3cr3t`,
        }),
        admin,
      ),
      createDestination(
        db.prisma,
        destinationInputSchema.parse({
          kind: "EMAIL",
          name: "Security team",
          host: smtp.host,
          port: String(smtp.port),
          security: "none",
          username: "alerts",
          password: "smtp-password",
          from: "kms-insights@example.com",
          to: "sec@example.com, oncall@example.com",
        }),
        admin,
      ),
    ]);
    [ids.webhook, ids.slack, ids.email] = made.map((d) => d.id) as [string, string, string];
    const rows = await db.prisma.alertDestination.findMany();
    const stored = JSON.stringify(rows);
    for (const secret of [SECRET, "s3cr3t", "smtp-password"]) expect(stored).not.toContain(secret);
    expect(rows.every((r) => r.secretCipher)).toBe(true);
    const shown = JSON.stringify(await listDestinations(db.prisma));
    for (const secret of [SECRET, "s3cr3t", "smtp-password"]) expect(shown).not.toContain(secret);
    const audits = await db.prisma.auditLog.findMany({ where: { action: "alert.destination.create" } });
    expect(audits).toHaveLength(3);
    for (const secret of [SECRET, "s3cr3t", "smtp-password"])
      expect(JSON.stringify(audits.map((a) => a.details))).not.toContain(secret);
  });

  it("sends a test message by email to the local SMTP server, logged as sent", async () => {
    const outcome = await sendTestMessage(db.prisma, ids.email, admin, { origin: ORIGIN });
    expect(outcome).toMatchObject({ status: "SENT", attempt: 1 });
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0]).toMatchObject({
      from: "kms-insights@example.com",
      to: ["sec@example.com", "oncall@example.com"],
      user: "alerts",
    });
    expect(smtp.mails[0]!.raw).toContain("Subject: KMS Insights: test message to Security team");
    const log = await db.prisma.alertDelivery.findUniqueOrThrow({
      where: { id: outcome.deliveryId },
      include: { attemptLog: true },
    });
    expect(log).toMatchObject({ status: "SENT", isTest: true, attempts: 1 });
    expect(log.attemptLog).toMatchObject([{ attempt: 1, ok: true, error: null }]);
  });
});

describe("rules over scans", () => {
  let baselineFailing: string[] = [];
  let turnedOff: string[] = [];
  let scan1 = "";

  it("sends nothing for a scan before any rule exists", async () => {
    const scan0 = await scanAndWait(db.prisma, worker);
    expect(await settledDeliveries(scan0.id)).toEqual([]);
    baselineFailing = (await db.prisma.kmsKey.findMany({ where: { status: "OPEN" } })).map((k) => k.keyId);
    expect(baselineFailing.length).toBeGreaterThan(2);
    expect(await db.prisma.alertDelivery.count({ where: { isTest: false } })).toBe(0);
  });

  it("sends one digest per rule for a scan, to each destination, never for excepted findings", async () => {
    const rule = (input: Record<string, unknown>) =>
      createRule(db.prisma, ruleInputSchema.parse(input), admin);
    ids.newRule = (
      await rule({
        name: "New findings",
        kind: "NEW_OR_REOPENED",
        destinationId: ids.webhook,
        severities: ["CRITICAL", "WARNING"],
      })
    ).id;
    await rule({
      name: "New to Slack",
      kind: "NEW_OR_REOPENED",
      destinationId: ids.slack,
      severities: ["CRITICAL", "WARNING"],
    });
    await rule({
      name: "New by mail",
      kind: "NEW_OR_REOPENED",
      destinationId: ids.email,
      severities: ["CRITICAL", "WARNING"],
    });
    ids.slaRule = (await rule({ name: "Overdue", kind: "SLA_OVERDUE", destinationId: ids.webhook })).id;
    ids.expiringRule = (
      await rule({ name: "Expiring", kind: "EXCEPTION_EXPIRING", destinationId: ids.webhook, days: "60" })
    ).id;
    ids.failedRule = (
      await rule({ name: "Scan failed", kind: "SCAN_FAILED", destinationId: ids.webhook })
    ).id;

    // Scoped rules, to a receiver of their own: the account sits in an OU under ou-ab12-parent01.
    await db.prisma
      .$executeRaw`UPDATE aws_accounts SET ou_ids = ARRAY['r-ab12', 'ou-ab12-parent01', 'ou-ab12-child001']`;
    const scopedTo = (
      await createDestination(
        db.prisma,
        destinationInputSchema.parse({
          kind: "WEBHOOK",
          name: "Scoped",
          url: `${scoped.url}/s`,
          secret: SECRET,
        }),
        admin,
      )
    ).id;
    const both = ["CRITICAL", "WARNING"];
    await rule({
      name: "Parent OU",
      kind: "NEW_OR_REOPENED",
      destinationId: scopedTo,
      severities: both,
      ouIds: ["ou-ab12-parent01"],
    });
    await rule({
      name: "Other OU",
      kind: "NEW_OR_REOPENED",
      destinationId: scopedTo,
      severities: both,
      ouIds: ["ou-zz99-other001"],
    });
    await rule({
      name: "Other account",
      kind: "NEW_OR_REOPENED",
      destinationId: scopedTo,
      severities: both,
      accountIds: ["111111111111"],
    });
    await rule({
      name: "Absent tag",
      kind: "NEW_OR_REOPENED",
      destinationId: scopedTo,
      severities: both,
      tagKey: "no-such-tag-key",
    });

    const passing = await judged("ROTATION_ENABLED");
    expect(passing.length).toBeGreaterThanOrEqual(3);
    turnedOff = passing.slice(0, 3);
    // The third will be excepted: an exception by key covers it the moment it fails.
    await createException(
      db.prisma,
      {
        kind: "accepted-risk",
        justification: "Vendor appliance cannot follow a rotated key",
        ownerEmail: "admin@example.com",
        expires: "2027-01-15",
        ticketUrl: null,
        scope: {
          keyArns: [arnOf(turnedOff[2]!)],
          accounts: [],
          regions: [],
          tagKey: null,
          tagValues: [],
          aliasPrefix: null,
        },
      },
      { ...admin, role: "ADMIN", scope: null },
    );
    for (const keyId of turnedOff) await kms.send(new DisableKeyRotationCommand({ KeyId: keyId }));
    webhook.requests.length = 0;

    scan1 = (await scanAndWait(db.prisma, worker)).id;
    const deliveries = await settledDeliveries(scan1);
    expect(deliveries.map((d) => d.rule?.name).sort()).toEqual([
      "Expiring",
      "New by mail",
      "New findings",
      "New to Slack",
      "Parent OU",
    ]);
    // Only the rule whose scope holds the account: its OU's parent; not another OU, account or tag.
    expect(scoped.requests).toHaveLength(1);
    const parentOu = JSON.parse(scoped.requests[0]!.body) as AlertPayload;
    expect(parentOu.rule?.name).toBe("Parent OU");
    // Its link opens the table with the same OU filter (the OU's child accounts included there too).
    expect(new URL(parentOu.link).searchParams.getAll("ou")).toEqual(["ou-ab12-parent01"]);
    expect(deliveries.every((d) => d.status === "SENT" && d.attempts === 1)).toBe(true);

    // The webhook: one signed message per rule; the new findings are the two keys not excepted.
    const received = webhookPayloads();
    expect(received).toHaveLength(2);
    for (const { request } of received) {
      expect(
        verifySignature(
          SECRET,
          {
            signature: request.headers["x-signature"] as string,
            timestamp: request.headers["x-signature-timestamp"] as string,
          },
          request.body,
        ),
      ).toBe(true);
      expect(
        verifySignature(
          "another-secret-entirely",
          {
            signature: request.headers["x-signature"] as string,
            timestamp: request.headers["x-signature-timestamp"] as string,
          },
          request.body,
        ),
      ).toBe(false);
    }
    const digest = received.find((r) => r.payload.rule?.kind === "NEW_OR_REOPENED")!.payload;
    expect(digest).toMatchObject({ version: 1, type: "alert", total: 2, more: 0, scan: { id: scan1 } });
    expect(digest.findings.map((f) => f.keyId).sort()).toEqual(turnedOff.slice(0, 2).sort());
    expect(digest.findings.every((f) => f.change === "NEW" && f.link.startsWith(`${ORIGIN}/keys/`))).toBe(
      true,
    );
    expect(digest.counts.CRITICAL + digest.counts.WARNING).toBe(2);
    expect(digest.link).toContain(`${ORIGIN}/insights/kms-key-rotation?change=new&change=reopened&since=`);
    const expiring = received.find((r) => r.payload.rule?.kind === "EXCEPTION_EXPIRING")!.payload;
    expect(expiring.exceptions).toHaveLength(1);
    expect(expiring.exceptions[0]).toMatchObject({ findings: 1, ownerEmail: "admin@example.com" });

    // Slack: the incoming webhook's format, readable.
    expect(slack.requests).toHaveLength(1);
    expect(slack.requests[0]!.path).toBe("/services/T1/B1/s3cr3t");
    const message = JSON.parse(slack.requests[0]!.body) as { text: string; blocks: { type: string }[] };
    expect(message.text).toContain("2 new or reopened findings");
    expect(message.blocks.map((b) => b.type)).toEqual(["header", "section", "context", "section", "actions"]);
    expect(JSON.stringify(message.blocks)).toContain(`${ORIGIN}/keys/`);

    // Email: one mail, text and HTML.
    const mail = smtp.mails.at(-1)!;
    expect(mail.raw).toContain("Subject: KMS Insights: 2 new or reopened findings");
    expect(mail.raw).toContain("text/html");
    expect(mail.raw).not.toContain(turnedOff[2]);
  });

  it("does not alert again what a rule has alerted: overdue findings once, an expiring exception once", async () => {
    const overdue = turnedOff.slice(0, 2);
    await db.prisma.$executeRaw`UPDATE kms_keys SET failing_since = now() - interval '100 days',
      due_at = now() - interval '10 days' WHERE key_id = ANY(${overdue}::text[])`;
    webhook.requests.length = 0;
    const scan2 = (await scanAndWait(db.prisma, worker)).id;
    const second = await settledDeliveries(scan2);
    expect(second.map((d) => d.rule?.name)).toEqual(["Overdue"]);
    const payload = webhookPayloads()[0]!.payload;
    expect(payload.findings.map((f) => f.keyId).sort()).toEqual([...overdue].sort());
    expect(payload.link).toBe(`${ORIGIN}/insights/kms-key-rotation?overdue=1`);

    const scan3 = (await scanAndWait(db.prisma, worker)).id;
    expect(await settledDeliveries(scan3)).toEqual([]);
    expect(webhook.requests).toHaveLength(1);
  });

  it("alerts a finding again once it was resolved and reopened, retrying a failing receiver with backoff", async () => {
    const key = turnedOff[0]!;
    await kms.send(new EnableKeyRotationCommand({ KeyId: key }));
    const resolvedScan = (await scanAndWait(db.prisma, worker)).id;
    expect((await db.prisma.kmsKey.findFirstOrThrow({ where: { keyId: key } })).status).toBe("RESOLVED");
    expect(await settledDeliveries(resolvedScan)).toEqual([]);
    expect(
      await db.prisma.alertedSubject.count({
        where: { subjectId: (await db.prisma.kmsKey.findFirstOrThrow({ where: { keyId: key } })).id },
      }),
    ).toBe(0);

    await kms.send(new DisableKeyRotationCommand({ KeyId: key }));
    webhook.failNext(500, 500);
    webhook.requests.length = 0;
    const reopenedScan = (await scanAndWait(db.prisma, worker)).id;
    const deliveries = await until(
      "the retried message",
      () => settledDeliveries(reopenedScan),
      (rows) => rows.some((r) => r.rule?.name === "New findings" && r.status === "SENT"),
    );
    const retried = deliveries.find((d) => d.rule?.name === "New findings")!;
    expect(retried.attempts).toBe(3);
    expect(retried.attemptLog.map((a) => [a.attempt, a.ok, a.error])).toEqual([
      [1, false, "The receiver answered HTTP 500 Internal Server Error."],
      [2, false, "The receiver answered HTTP 500 Internal Server Error."],
      [3, true, null],
    ]);
    const [a1, a2, a3] = retried.attemptLog.map((a) => a.at.getTime());
    // Exponential backoff from 1 s: the first retry after 1–2 s, the second after 2–4 s.
    expect(a2! - a1!).toBeGreaterThanOrEqual(1000);
    expect(a3! - a2!).toBeGreaterThanOrEqual(2000);
    const sent = webhookPayloads().map((r) => r.payload);
    expect(sent).toHaveLength(3);
    expect(new Set(sent.map((p) => p.id)).size).toBe(1);
    expect(sent[2]!.findings).toMatchObject([{ keyId: key, change: "REOPENED" }]);
  });

  it("alerts a failed or partial scan with its failed account-regions", async () => {
    // An account whose role cannot be assumed: its account-region fails, the scan is partial.
    await addAccount(db.prisma, {
      id: "000000000000",
      name: "Gone",
      regions: [REGION],
      accessMethod: "ROLE",
      roleArn: "arn:aws:iam::000000000000:role/Missing",
    });
    webhook.requests.length = 0;
    const scan = await scanAndWait(db.prisma, worker);
    expect(scan.status).toBe("PARTIAL");
    const deliveries = await settledDeliveries(scan.id);
    expect(deliveries.map((d) => d.rule?.name)).toEqual(["Scan failed"]);
    const payload = webhookPayloads()[0]!.payload;
    expect(payload.failedTargets).toMatchObject([{ accountId: "000000000000", region: REGION }]);
    expect(payload.title).toContain("The scan was partial: 1 of 2 account-regions failed");
  });

  it("refuses to send when the host is no longer allowed: failed at once with the reason, not retried", async () => {
    process.env.INSIGHTS_ALLOWED_ENDPOINT_HOSTS = "hooks.internal.example";
    try {
      const outcome = await sendTestMessage(db.prisma, ids.webhook, admin, { origin: ORIGIN });
      expect(outcome.status).toBe("FAILED");
      expect(outcome.error).toBe(
        "127.0.0.1 is not an allowed host: alerts go only to the hosts the operator lists in INSIGHTS_ALLOWED_ENDPOINT_HOSTS.",
      );
    } finally {
      process.env.INSIGHTS_ALLOWED_ENDPOINT_HOSTS = "127.0.0.1";
    }
  });
});
