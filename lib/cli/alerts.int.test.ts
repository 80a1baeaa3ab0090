import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { destinationInputSchema } from "@/lib/alerts/destination-schema";
import { createDestination, loadSendable } from "@/lib/alerts/destinations";
import { rotateAlertSecrets } from "@/lib/alerts/rotate-secrets";
import type { AlertPayload } from "@/lib/alerts/payload";
import { verifySignature } from "@/lib/alerts/signature";
import { createEncrypter } from "@/lib/secrets";
import { useFreshDatabase } from "@/test/db";
import { startHttpReceiver, type HttpReceiver } from "@/test/support/alert-receivers";
import { alertsCommand } from "./alerts";
import { UsageError, type CliIO } from "./io";

const db = useFreshDatabase();
const SECRET = "cli-test-signing-secret-0123456789";
const KEY_A = Buffer.alloc(32, 3).toString("base64");
const KEY_B = Buffer.alloc(32, 4).toString("base64");
let receiver: HttpReceiver;
let destinationId = "";
const savedEnv = { ...process.env };

beforeAll(async () => {
  receiver = await startHttpReceiver();
  Object.assign(process.env, {
    INSIGHTS_ENCRYPTION_KEY: KEY_A,
    INSIGHTS_ALLOWED_ENDPOINT_HOSTS: "127.0.0.1",
    NEXTAUTH_URL: "https://console.example.com",
  });
  destinationId = (
    await createDestination(
      db.prisma,
      destinationInputSchema.parse({
        kind: "WEBHOOK",
        name: "SIEM",
        url: `${receiver.url}/in`,
        secret: SECRET,
      }),
      { actorEmail: "admin@example.com" },
    )
  ).id;
});

afterAll(async () => {
  await receiver?.close();
  process.env = savedEnv;
});

async function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    stdin: new PassThrough(),
    stdout: new PassThrough(),
  };
  const code = await alertsCommand(argv, db.prisma, io);
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("npm run cli -- alerts", () => {
  it("test: sends a signed test message, prints its delivery id, logs and audits it", async () => {
    const result = await run(["test", "--destination", destinationId]);
    expect(result.code).toBe(0);
    expect(result.err).toBe(`Sent a test message (delivery ${result.out}).`);
    expect(receiver.requests).toHaveLength(1);
    const request = receiver.requests[0]!;
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
    const payload = JSON.parse(request.body) as AlertPayload;
    expect(payload).toMatchObject({
      version: 1,
      type: "test",
      id: result.out,
      link: "https://console.example.com/alerts",
    });
    expect(await db.prisma.alertDelivery.findUniqueOrThrow({ where: { id: result.out } })).toMatchObject({
      status: "SENT",
      attempts: 1,
    });
    expect(
      await db.prisma.auditLog.findFirstOrThrow({ where: { action: "alert.destination.test" } }),
    ).toMatchObject({
      actorEmail: "cli",
      target: destinationId,
    });
  });

  it("test: a receiver that fails exits 1 with the reason; an unknown destination says so", async () => {
    receiver.failNext(503);
    const failed = await run(["test", "--destination", destinationId]);
    expect(failed.code).toBe(1);
    expect(failed.err).toBe(
      "The test message was not delivered: The receiver answered HTTP 503 Service Unavailable.",
    );
    const unknown = await run(["test", "--destination", "nope"]);
    expect(unknown).toMatchObject({
      code: 1,
      out: "",
      err: "error: That destination does not exist (any more). See `alerts list`.",
    });
    await expect(run(["test"])).rejects.toThrow(UsageError);
  });

  it("list: destinations on stdout, never a secret", async () => {
    const listed = await run(["list"]);
    expect(listed.code).toBe(0);
    expect(listed.out).toBe(`${destinationId}\tWEBHOOK\tSIEM\t${receiver.url}/in`);
    const json = await run(["list", "--json"]);
    expect(JSON.parse(json.out)).toMatchObject({
      destinations: [{ id: destinationId, hasSecret: true }],
      rules: [],
    });
    expect(json.out).not.toContain(SECRET);
  });

  it("secrets rotate re-encrypts a destination's secret with the current key, audited", async () => {
    const dataDir = process.env.INSIGHTS_DATA_DIR ?? ".data";
    const rotated = await rotateAlertSecrets(
      db.prisma,
      await createEncrypter({
        encryptionKeys: `${KEY_B},${KEY_A}`,
        dataDir: `${dataDir}/alerts-rotate-none`,
      }),
      { actorEmail: "cli" },
    );
    expect(rotated).toEqual({ total: 1, rotated: 1, failed: [] });
    const onlyB = await createEncrypter({ encryptionKeys: KEY_B, dataDir: `${dataDir}/alerts-rotate-none` });
    expect((await loadSendable(db.prisma, destinationId, onlyB))?.secret).toBe(SECRET);
    expect(
      await db.prisma.auditLog.count({
        where: { action: "secret.rotate", target: `alert_destinations/${destinationId}` },
      }),
    ).toBe(1);
  });
});
