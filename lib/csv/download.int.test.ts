import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { addAccount } from "@/lib/accounts/service";
import { startWorker, type Worker } from "@/lib/collector/queue";
import { createExportPool, EXPORT_APPLICATION_NAME, type ExportPool } from "@/lib/db/export-pool";
import { auditedExportRows } from "@/lib/insight-table/export";
import { EMPTY_FILTERS } from "@/lib/insight-table/filters";
import { fetchInsightPage } from "@/lib/insight-table/query";
import { streamInsightRows } from "@/lib/insight-table/stream";
import { generateEstate, sandboxCredentialsFor, startSandbox, type RunningSandbox } from "@/lib/kms-sandbox";
import { useFreshDatabase } from "@/test/db";
import { scanAndWait } from "@/test/support/collector";
import { INSIGHT_CSV_COLUMNS } from "./insight-csv";
import { csvDownload } from "./download";

// CSV downloads against a real database: readers that take a little and then stop reading hold
// export connections; past the caps more downloads are refused at once with a sentence, while the
// pages' queries and a scan go on; stalled downloads give their connections back.

const KEYS = 5000; // several batches: a download that stops reading keeps its cursor open
const estate = generateEstate({ accounts: 1, regions: ["us-east-1"], keysPerRegion: 20, seed: "downloads" });
const db = useFreshDatabase();
let sandbox: RunningSandbox;
let worker: Worker;
const pools: ExportPool[] = [];

beforeAll(async () => {
  sandbox = await startSandbox({ estate });
  const creds = sandboxCredentialsFor(estate.accounts[0]!.id);
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_KMS: sandbox.url,
    AWS_ENDPOINT_URL_STS: sandbox.url,
    AWS_ACCESS_KEY_ID: creds.accessKeyId,
    AWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
  });
  const { id, name } = estate.accounts[0]!;
  await addAccount(db.prisma, { id, name, regions: estate.regions });
  await addAccount(db.prisma, { id: "999999999999", name: "Exported", regions: ["eu-west-1"] });
  await db.prisma.$executeRaw`
    INSERT INTO kms_keys (id, account_id, region, key_id, arn, key_state, key_manager, key_spec, origin,
      enabled, aliases, severity, reason, finding_description, rotation_status, evaluated_at)
    SELECT 'k' || n, '999999999999', 'eu-west-1', 'key-' || n,
      'arn:aws:kms:eu-west-1:999999999999:key/key-' || n, 'Enabled', 'CUSTOMER', 'SYMMETRIC_DEFAULT',
      'AWS_KMS', true, '{}', 'CRITICAL', 'ROTATION_DISABLED', 'Rotation is off.', 'DISABLED', now()
    FROM generate_series(1, ${KEYS}) AS n`;
  worker = await startWorker(db.prisma, db.url, { schedule: false });
}, 60_000);

/** Readers a test opened: a failed test's are cancelled, so they hold nothing in the next one. */
const readers: ReadableStreamDefaultReader<Uint8Array>[] = [];
afterEach(async () => {
  for (const reader of readers.splice(0)) await reader.cancel().catch(() => {});
});

afterAll(async () => {
  await worker?.stop();
  for (const p of pools) await p.end().catch(() => {});
  await sandbox?.stop();
});

function exportPool(limits: Parameters<typeof createExportPool>[1]): ExportPool {
  const p = createExportPool(db.url, limits);
  pools.push(p);
  return p;
}

function download(exports: ExportPool, user: string): Response {
  return csvDownload({
    exports,
    user,
    filePrefix: "kms-key-rotation",
    columns: INSIGHT_CSV_COLUMNS,
    rows: (pool) =>
      auditedExportRows(db.prisma, pool, EMPTY_FILTERS, null, { actorEmail: `${user}@example.com` }),
  });
}

/** A reader that takes the header and one chunk of rows, then reads nothing more. */
async function openAndStall(res: Response) {
  expect(res.status).toBe(200);
  const reader = res.body!.getReader();
  readers.push(reader);
  await reader.read();
  const { value } = await reader.read();
  expect(new TextDecoder().decode(value).split("\r\n").length).toBeGreaterThan(100);
  return reader;
}

/**
 * Export connections now inside a transaction (an export under way), as the server sees them: idle
 * once its COPY has sent every row, or still active while the COPY sends (a busy machine).
 */
async function exportTransactions(): Promise<number> {
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  try {
    const { rows } = await c.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
       WHERE datname = current_database() AND application_name = $1 AND xact_start IS NOT NULL`,
      [EXPORT_APPLICATION_NAME],
    );
    return rows[0]!.n;
  } finally {
    await c.end();
  }
}

async function until(check: () => Promise<boolean>, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("CSV downloads", () => {
  it("refuse what is over the caps at once, leave the app and a scan alone, and give back stalled connections", async () => {
    const exports = exportPool({ connections: 3, perUser: 2, stallMs: 10_000 });
    const held = [
      await openAndStall(download(exports, "alice")),
      await openAndStall(download(exports, "alice")),
      await openAndStall(download(exports, "bob")),
    ];
    expect(await exportTransactions()).toBe(3);

    const third = download(exports, "alice");
    expect(third.status).toBe(429);
    expect(third.headers.get("Retry-After")).toBe("30");
    expect(await third.text()).toMatch(
      /^You already have 2 CSV exports running, the most one person may have/,
    );
    const full = download(exports, "carol");
    expect(full.status).toBe(429);
    expect(full.headers.get("Retry-After")).toBe("60");
    expect(await full.text()).toMatch(
      /^The server is already sending 3 CSV exports, the most it sends at once\./,
    );

    // Meanwhile the pages' queries answer and a scan runs to the end.
    const page = await fetchInsightPage(db.prisma, { ...EMPTY_FILTERS, page: 1 }, null);
    expect(page.total).toBeGreaterThanOrEqual(KEYS);
    const scan = await scanAndWait(db.prisma, worker, { accountIds: [estate.accounts[0]!.id] });
    expect(scan.status).toBe("SUCCEEDED");

    // The readers read nothing more: the downloads end, their connections leave their transactions.
    await until(async () => exports.open() === 0, 30_000);
    for (const reader of held)
      await expect(reader.read()).rejects.toThrow(/its reader took nothing for 10 s/);
    await until(async () => (await exportTransactions()) === 0);
    const stalled = await db.prisma.auditLog.findMany({ where: { action: "export.csv" } });
    expect(stalled).toHaveLength(3);
    expect(stalled.every((e) => (e.details as { completed: boolean }).completed === false)).toBe(true);

    // And the next download is served in full.
    const after = await fetchInsightPage(db.prisma, { ...EMPTY_FILTERS, page: 1 }, null);
    const text = await download(exports, "carol").text();
    expect(text.trimEnd().split("\r\n")).toHaveLength(1 + after.total);
    expect(exports.open()).toBe(0);
    expect(await exportTransactions()).toBe(0);

    // A download cancelled by its client gives its connection back at once.
    const cancelled = await openAndStall(download(exports, "dave"));
    expect(await exportTransactions()).toBe(1);
    await cancelled.cancel();
    expect(exports.open()).toBe(0);
    await until(async () => (await exportTransactions()) === 0);
  });

  it("run with the server's time limits, which end a transaction left idle even if the process never does", async () => {
    const exports = exportPool({ idleInTransactionMs: 1_000 });
    const c = await exports.pool.connect();
    try {
      const { rows } = await c.query<{ s: string; i: string }>(
        `SELECT current_setting('statement_timeout') AS s, current_setting('idle_in_transaction_session_timeout') AS i`,
      );
      expect(rows[0]).toEqual({ s: "2min", i: "1s" });
    } finally {
      c.release();
    }
    // A consumer that stops between rows without the web stream's watchdog (a hung process).
    const rows = streamInsightRows(exports.pool, EMPTY_FILTERS, null, 100);
    try {
      await rows.next();
      await new Promise((r) => setTimeout(r, 2_500));
      expect(await exportTransactions()).toBe(0);
      await expect(async () => {
        for (;;) if ((await rows.next()).done) break;
      }).rejects.toThrow(/idle-in-transaction timeout|Connection terminated|connection error/);
    } finally {
      await rows.return(); // gives its connection back if an expectation failed midway
    }
    // The pool serves again, with a fresh connection.
    const page = await exports.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM kms_keys`);
    expect(page.rows[0]!.n).toBeGreaterThanOrEqual(KEYS);
  });
});
