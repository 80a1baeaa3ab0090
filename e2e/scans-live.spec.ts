import { readFile } from "node:fs/promises";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { parseRfc4180 } from "../test/support/parse-rfc4180";
import { E2E_DATA_DIR } from "../playwright.config";
import { ADMIN, STORAGE, withDb } from "./support";

// Scans as they happen: Scan now on the Scans page, the progress of a running scan on the Scans
// page and the overview, updated without reloading the page; the worst accounts on the overview;
// the compliance page's shares and its CSV. Every number is compared with the database.

/** Waits until a scan has finished and none runs. */
async function settled() {
  await expect
    .poll(
      () =>
        withDb(async (c) => {
          const busy = await c.query(`SELECT 1 FROM scans WHERE status IN ('QUEUED', 'RUNNING')`);
          const done = await c.query(`SELECT 1 FROM scans WHERE finished_at IS NOT NULL`);
          return busy.rowCount === 0 && (done.rowCount ?? 0) > 0;
        }).catch(() => false),
      { timeout: 240_000, intervals: [1_000] },
    )
    .toBe(true);
}

const demoSandbox = async () =>
  JSON.parse(await readFile(path.join(E2E_DATA_DIR, "demo-sandbox.json"), "utf8")) as { url: string };

/** Slows every answer of the demo's KMS sandbox, so that a scan runs long enough to be watched. */
async function sandboxLatency(latencyMs: number) {
  const { url } = await demoSandbox();
  const res = await fetch(`${url}/__sandbox/faults`, {
    method: "POST",
    body: JSON.stringify(latencyMs ? { latencyMs } : {}),
  });
  expect(res.status).toBe(200);
}

const targetCount = () =>
  withDb(async (c) => {
    const { rows } = await c.query(
      `SELECT coalesce(sum(cardinality(regions)), 0)::int AS n FROM aws_accounts WHERE enabled`,
    );
    return rows[0].n as number;
  });

/** A mark that only a full page load would clear. */
const markPage = (page: Page) =>
  page.evaluate(() => ((window as unknown as { __noReload?: boolean }).__noReload = true));
const stillMarked = (page: Page) =>
  page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload === true);

test.beforeAll(async () => {
  test.setTimeout(300_000);
  await settled();
});

test.describe("admin", () => {
  test.use({ storageState: STORAGE.admin });

  test("Scan now on the Scans page shows the scan's progress live, to its end, without a reload", async ({
    page,
  }) => {
    test.setTimeout(180_000);
    const targets = await targetCount();
    await sandboxLatency(150);
    try {
      await page.goto("/scans");
      await markPage(page);
      await page.getByRole("button", { name: "Scan now" }).click();
      const progress = page.getByTestId("scan-progress");
      await expect(progress).toHaveAttribute("data-running", "true");
      await expect(progress.getByTestId("scan-progress-counts")).toContainText(
        `of ${targets} account-regions done`,
      );
      await expect(progress.getByRole("progressbar")).toHaveAttribute("aria-valuemax", String(targets));
      await expect(progress).toHaveAttribute("data-running", "false", { timeout: 150_000 });
      await expect(progress.getByRole("heading")).toHaveText("Scan succeeded");
      await expect(progress.getByTestId("scan-progress-counts")).toContainText(
        `${targets} of ${targets} account-regions done`,
      );
      expect(await stillMarked(page), "the page was not reloaded").toBe(true);

      // The refreshed history shows the scan, and who started it.
      const scan = await withDb(async (c) => {
        const { rows } = await c.query(
          `SELECT status, requested_by, (SELECT sum(keys_seen)::int FROM scan_targets t WHERE t.scan_id = s.id) AS keys
           FROM scans s ORDER BY started_at DESC LIMIT 1`,
        );
        return rows[0] as { status: string; requested_by: string; keys: number };
      });
      expect(scan).toMatchObject({ status: "SUCCEEDED", requested_by: ADMIN.email });
      await expect(progress.getByTestId("scan-progress-counts")).toContainText(`${scan.keys} keys so far`);
      const latest = page.getByRole("region", { name: /^Scan of / }).first();
      await expect(latest).toContainText(`started by you (${ADMIN.email})`);
      await expect(latest.locator('[data-status="SUCCEEDED"]').first()).toBeVisible();
      expect(await stillMarked(page)).toBe(true);
    } finally {
      await sandboxLatency(0);
      await settled();
    }
  });

  test("the overview follows a running scan live, refreshes its figures at the end, and shows the worst accounts", async ({
    page,
  }) => {
    test.setTimeout(180_000);
    // The scan changes no finding (other specs count the changes since the first scan); the
    // trend's count of finished scans shows that the overview's figures were read again at its end.
    await sandboxLatency(150);
    try {
      await page.goto("/scans");
      await page.getByRole("button", { name: "Scan now" }).click();
      await expect(page.getByTestId("scan-progress")).toHaveAttribute("data-running", "true");
      await page.goto("/");
      await markPage(page);
      const progress = page.getByTestId("scan-progress");
      await expect(progress).toHaveAttribute("data-running", "true");
      await expect(progress).toHaveAttribute("data-running", "false", { timeout: 150_000 });
      const finished = await withDb(async (c) => {
        const { rows } = await c.query(
          `SELECT count(*)::int AS n FROM scans WHERE status IN ('SUCCEEDED', 'PARTIAL')`,
        );
        return rows[0].n as number;
      });
      expect(finished).toBeGreaterThan(1);
      await expect(page.getByTestId("severity-trend")).toContainText(
        `The last ${Math.min(finished, 30)} finished scans.`,
      );
      expect(await stillMarked(page), "the page was not reloaded").toBe(true);
    } finally {
      await sandboxLatency(0);
      await settled();
    }

    const worst = await withDb(async (c) => {
      const { rows } = await c.query(
        `SELECT a.id, a.name,
           count(*) FILTER (WHERE k.severity = 'CRITICAL')::int AS critical,
           count(*) FILTER (WHERE k.severity = 'WARNING')::int AS warning
         FROM kms_keys k JOIN aws_accounts a ON a.id = k.account_id
         WHERE k.gone_at IS NULL AND k.status = 'OPEN'
         GROUP BY a.id, a.name ORDER BY critical DESC, warning DESC, a.name, a.id LIMIT 5`,
      );
      return rows as { id: string; name: string; critical: number; warning: number }[];
    });
    expect(worst.length, "the demo estate has failing keys").toBeGreaterThan(0);
    await page.reload();
    const items = page.getByTestId("worst-accounts").getByRole("listitem");
    await expect(items).toHaveCount(worst.length);
    for (const [i, account] of worst.entries()) {
      await expect(items.nth(i)).toContainText(
        `${account.name} ${account.id}${account.critical} critical, ${account.warning} warning`,
      );
      const link = items.nth(i).getByRole("link");
      await expect(link).toHaveAttribute("href", new RegExp(`account=${account.id}`));
    }
    await items.first().getByRole("link").click();
    await expect(page).toHaveURL(new RegExp(`account=${worst[0]!.id}`));
  });

  test("the compliance page gives each framework's and account's share of passing keys, and its CSV", async ({
    page,
  }) => {
    await settled();
    const counted = await withDb(async (c) => {
      const { rows } = await c.query(
        `SELECT count(*)::int AS applicable,
           count(*) FILTER (WHERE severity IN ('CRITICAL', 'WARNING') AND status <> 'EXCEPTED')::int AS failing
         FROM kms_keys WHERE gone_at IS NULL AND severity <> 'NOT_APPLICABLE'`,
      );
      const accounts = await c.query(`SELECT count(*)::int AS n FROM aws_accounts`);
      const frameworks = await c.query(`SELECT count(*)::int AS n FROM compliance_mappings`);
      return {
        ...(rows[0] as { applicable: number; failing: number }),
        accounts: accounts.rows[0].n as number,
        frameworks: frameworks.rows[0].n as number,
      };
    });
    const passing = counted.applicable - counted.failing;
    const percent =
      passing === counted.applicable
        ? 100
        : Math.min(99, Math.max(passing ? 1 : 0, Math.round((100 * passing) / counted.applicable)));
    await page.goto("/compliance");
    const cis = page.locator('tr[data-framework="cis-aws-foundations-3.0.0"]');
    await expect(cis.getByTestId("share")).toContainText(`${percent}% of ${counted.applicable} keys pass`);
    await expect(page.getByRole("table", { name: "Keys passing by account" }).getByRole("row")).toHaveCount(
      counted.accounts + 1,
    );

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: /^Download CSV/ }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^compliance-by-account-\d{4}-\d{2}-\d{2}\.csv$/);
    const [header, ...rows] = parseRfc4180(
      (await readFile((await download.path())!, "utf8")).replace(/^\uFEFF/, ""),
    );
    expect(header?.slice(0, 3)).toEqual(["account_id", "account_name", "framework_id"]);
    expect(rows).toHaveLength(counted.accounts * counted.frameworks);
    const applicable = header!.indexOf("applicable_keys");
    const cisRows = rows.filter((r) => r[header!.indexOf("framework_id")] === "cis-aws-foundations-3.0.0");
    expect(cisRows.reduce((n, r) => n + Number(r[applicable]), 0)).toBe(counted.applicable);
  });
});

test.describe("viewer", () => {
  test.use({ storageState: STORAGE.viewer });

  test("sees the scans and their progress but is not offered Scan now", async ({ page, request }) => {
    await page.goto("/scans");
    await expect(page.getByRole("heading", { name: "Scans", level: 1 })).toBeVisible();
    await expect(page.getByRole("button", { name: "Scan now" })).toHaveCount(0);
    const res = await request.get("/scans/progress");
    expect(res.status()).toBe(200);
    expect(res.headers()["cache-control"]).toContain("no-store");
    expect(await res.json()).toEqual({ progress: null });
    expect((await request.get("/scans/progress?scan=../x")).status()).toBe(400);
    const csv = await request.get("/compliance/export.csv");
    expect(csv.status()).toBe(200);
  });
});

test.describe("signed out", () => {
  test("the progress and the compliance CSV answer 401", async ({ playwright, baseURL }) => {
    const request = await playwright.request.newContext({ baseURL });
    for (const url of ["/scans/progress", "/compliance/export.csv"]) {
      expect((await request.get(url)).status(), url).toBe(401);
    }
    await request.dispose();
  });
});
