import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { createPrisma } from "../lib/db/client";
import { createException, revokeException } from "../lib/exceptions/service";
import type { PrismaClient } from "../lib/generated/prisma/client";
import { findingChangeHref } from "../lib/insight-table/table-href";
import { added, removed } from "../lib/triage/delta-sign";
import { E2E_DATA_DIR } from "../playwright.config";
import { ADMIN, STORAGE, withDb } from "./support";

// The triage read views against the demo estate: the overview's and the scans page's "since the
// previous scan" line and its links, a key's status and timeline, and the compliance page's
// excepted findings. Every number is compared with the database.

test.use({ storageState: STORAGE.admin });

/** Waits until a scan has finished and none runs, so that the numbers hold still. */
async function settled(): Promise<void> {
  const idle = () =>
    withDb(async (c) => {
      const busy = await c.query(`SELECT 1 FROM scans WHERE status IN ('QUEUED', 'RUNNING')`);
      const done = await c.query(`SELECT 1 FROM scans WHERE finished_at IS NOT NULL`);
      return busy.rowCount === 0 && (done.rowCount ?? 0) > 0;
    });
  await expect.poll(idle, { timeout: 180_000, intervals: [1_000] }).toBe(true);
}

/** The console's own services on the e2e database (creating an exception as the CLI would). */
async function withPrisma<T>(fn: (db: PrismaClient) => Promise<T>): Promise<T> {
  const { url } = JSON.parse(readFileSync(path.join(E2E_DATA_DIR, "runtime.json"), "utf8")) as {
    url: string;
  };
  const db = createPrisma(url, 2);
  try {
    return await fn(db);
  } finally {
    await db.$disconnect();
  }
}

test("the overview and the scans page say what changed since the previous scan, each number opening as many findings", async ({
  page,
}) => {
  await settled();
  const delta = await withDb(async (c) => {
    const { rows } = await c.query(
      `SELECT coalesce(sum(d.new), 0)::int AS new, coalesce(sum(d.resolved), 0)::int AS resolved,
         coalesce(sum(d.reopened), 0)::int AS reopened
       FROM (SELECT id FROM scans ORDER BY started_at DESC, id DESC LIMIT 1) s
       LEFT JOIN scan_deltas d ON d.scan_id = s.id`,
    );
    return rows[0] as { new: number; resolved: number; reopened: number };
  });
  expect(delta.new, "the demo's first scan found failing keys").toBeGreaterThan(0);

  for (const where of ["/", "/scans"]) {
    await page.goto(where);
    const line = page.getByTestId("scan-delta-line");
    await expect(line).toContainText(
      `Since the previous scan: ${added(delta.new)} new, ${removed(delta.resolved)} resolved, ${delta.reopened} reopened`,
    );
    await expect(line.getByRole("link", { name: `+${delta.new} new` })).toHaveAttribute(
      "href",
      findingChangeHref("new"),
    );
  }

  await page.goto("/");
  await page
    .getByTestId("scan-delta-line")
    .getByRole("link", { name: `+${delta.new} new` })
    .click();
  await expect(page).toHaveURL(/change=new/);
  expect(new URL(page.url()).searchParams.get("since")).toBeNull();
  await expect(page.getByTestId("insight-total")).toHaveText(delta.new.toLocaleString("en-US"));
  for (const change of ["resolved", "reopened"] as const) {
    await page.goto(findingChangeHref(change));
    // An empty table says so instead of stating a total.
    if (delta[change] === 0)
      await expect(page.getByRole("heading", { name: "No key matches these filters" })).toBeVisible();
    else await expect(page.getByTestId("insight-total")).toHaveText(delta[change].toLocaleString("en-US"));
  }
});

test("a key's page tells its finding's life, and an exception moves it to the compliance page's excepted list", async ({
  page,
}) => {
  await settled();
  const key = await withDb(async (c) => {
    const { rows } = await c.query(
      `SELECT id, key_id, arn FROM kms_keys WHERE status = 'OPEN' AND gone_at IS NULL ORDER BY key_id LIMIT 1`,
    );
    return rows[0] as { id: string; key_id: string; arn: string };
  });
  await page.goto(`/keys/${key.id}`);
  await expect(page.getByTestId("finding-status")).toHaveText("Open");
  const timeline = page.getByRole("table", { name: /Changes of the finding/ });
  const opened = timeline.getByRole("row").filter({ hasText: "New: started failing" });
  await expect(opened).toHaveCount(1);
  await expect(opened.getByRole("link", { name: /^scan of / })).toHaveAttribute("href", /^\/scans#scan-/);

  const justification = `E2E triage views ${Date.now()}`;
  const actor = { actorEmail: ADMIN.email, role: "ADMIN" as const, scope: null };
  const created = await withPrisma((db) =>
    createException(
      db,
      {
        kind: "accepted-risk",
        justification,
        ownerEmail: ADMIN.email,
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
      actor,
    ),
  );
  try {
    await page.reload();
    await expect(page.getByTestId("finding-status")).toHaveText("Excepted");
    await expect(page.getByTestId("current-exception")).toContainText(justification);
    for (const step of ["Excepted", "Exception approved", "Exception created"])
      await expect(timeline.getByRole("row").filter({ hasText: step }).first()).toBeVisible();

    const excepted = await withDb(
      async (c) =>
        (
          await c.query(
            `SELECT count(*)::int AS n FROM kms_keys WHERE status = 'EXCEPTED' AND gone_at IS NULL`,
          )
        ).rows[0].n as number,
    );
    await page.goto("/compliance");
    await expect(page.getByTestId("excepted-count")).toContainText(`${excepted} failing key`);
    await expect(page.getByTestId("excepted-count")).toHaveAttribute(
      "href",
      "/insights/kms-key-rotation?status=excepted",
    );
    const row = page
      .getByRole("table", { name: "Excepted findings with their exceptions" })
      .getByRole("row")
      .filter({ hasText: key.key_id });
    await expect(row).toContainText("Accepted risk");
    await expect(row).toContainText(justification);
    await expect(row).toContainText(ADMIN.email);

    await page.goto("/");
    await expect(page.getByTestId("excepted-card")).toContainText(String(excepted));
  } finally {
    await withPrisma((db) => revokeException(db, created.id, actor));
  }
  await page.goto(`/keys/${key.id}`);
  await expect(page.getByTestId("finding-status")).toHaveText("Open");
  await expect(timeline.getByRole("row").filter({ hasText: "Exception ended: revoked" })).toHaveCount(1);
});
