import { expect, test } from "@playwright/test";
import { readFile } from "node:fs/promises";
import { callActionWithForm, serverAction } from "./server-actions";
import { ADMIN, cli, signIn, STORAGE, waitForScannedEstate, withDb } from "./support";

// A fix from the console: admin A plans it from a key's page and may not approve it himself;
// admin B approves by typing the number of keys and runs it; the plan page shows the result and
// the key's finding turns OK without a scan. Viewers and analysts are refused on the server.

const SECOND_ADMIN = { email: "second-admin@e2e.test", password: "e2e-second-admin-password-1" };

interface Key {
  id: string;
  arn: string;
  key_id: string;
}

/**
 * A key with rotation off that a fix can turn on, in an account with remediation access, and that
 * no approved or run plan holds (other specs plan fixes of whole views and leave them planned).
 */
async function fixableKey(): Promise<Key> {
  const find = () =>
    withDb(async (c) => {
      const { rows } = await c.query<Key>(
        `SELECT k.id, k.arn, k.key_id FROM kms_keys k
         WHERE k.reason = 'ROTATION_DISABLED' AND k.status = 'OPEN' AND k.gone_at IS NULL
           AND k.key_state = 'Enabled' AND k.origin = 'AWS_KMS' AND k.multi_region_type IS NULL
           AND NOT EXISTS (SELECT 1 FROM fix_items i JOIN fix_plans p ON p.id = i.plan_id
             WHERE i.key_arn = k.arn AND p.status NOT IN ('PLANNED', 'CANCELLED', 'EXPIRED'))
           AND EXISTS (SELECT 1 FROM aws_accounts a WHERE a.id = k.account_id AND a.remediation_method IS NOT NULL)
         ORDER BY k.key_id DESC LIMIT 1`,
      );
      return rows[0];
    });
  await expect.poll(find, { timeout: 180_000, intervals: [1_000] }).toBeDefined();
  return (await find())!;
}

const severityOf = (id: string) =>
  withDb(async (c) => (await c.query("SELECT severity FROM kms_keys WHERE id = $1", [id])).rows[0].severity);

test.beforeAll(async () => {
  test.setTimeout(300_000);
  await waitForScannedEstate({ idle: true });
  const added = cli(
    ["users", "add", "--email", SECOND_ADMIN.email, "--role", "admin"],
    SECOND_ADMIN.password + "\n",
  );
  if (added.status !== 0 && !added.stderr.includes("already exists")) throw new Error(added.stderr);
});

test("admin A plans from the key page, admin B approves by typing the count and runs it", async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const key = await fixableKey();
  const a = await (await browser.newContext({ storageState: STORAGE.admin })).newPage();
  await a.goto(`/keys/${key.id}`);
  await a.getByRole("button", { name: "Plan a fix" }).click();
  await expect(a).toHaveURL(/\/fixes\/[a-z0-9]+$/);
  const planUrl = new URL(a.url()).pathname;
  const items = a.getByRole("region", { name: "Keys" });
  await expect(items.getByRole("row", { name: new RegExp(key.key_id) })).toContainText(
    "Rotate every 365 days (EnableKeyRotation)",
  );
  // The planner may not approve his own plan under "fixes need a second person".
  await expect(a.getByTestId("approve-refusal")).toHaveText(
    "Fixes need a second person: another admin must approve the plan you made.",
  );
  await expect(a.getByRole("button", { name: "Approve…" })).toHaveCount(0);
  await a.getByRole("link", { name: "Fixes", exact: true }).first().click();
  await expect(a.getByRole("row", { name: /waiting for approval/ }).first()).toContainText(ADMIN.email);

  const bContext = await browser.newContext();
  const b = await bContext.newPage();
  await signIn(b, SECOND_ADMIN);
  await b.goto(planUrl);
  await b.getByRole("button", { name: "Approve…" }).click();
  const dialog = b.getByRole("dialog", { name: "Approve this fix" });
  await dialog.getByLabel("Number of keys").fill("2");
  await dialog.getByRole("button", { name: "Approve", exact: true }).click();
  await expect(
    dialog.getByText("Type the number of keys this plan changes (1) to approve it."),
  ).toBeVisible();
  await dialog.getByLabel("Number of keys").fill("1");
  await dialog.getByRole("button", { name: "Approve", exact: true }).click();
  await expect(b.getByText(`by ${SECOND_ADMIN.email}`)).toBeVisible();

  await b.getByRole("button", { name: "Run" }).click();
  await expect(b.getByTestId("fix-progress")).toContainText("1 done, 0 failed, 0 pending", {
    timeout: 60_000,
  });
  await expect(b.locator("[data-status]").first()).toHaveText("completed");
  await expect(
    b.getByRole("region", { name: "Keys" }).getByRole("row", { name: new RegExp(key.key_id) }),
  ).toContainText("off → on, 365 days");
  // Verified at once: the finding is OK without a scan, and the key page says so.
  expect(await severityOf(key.id)).toBe("OK");
  await b.goto(`/keys/${key.id}`);
  await expect(b.getByRole("button", { name: "Plan a fix" })).toHaveCount(0);
  await bContext.close();
});

const FIX_FORM = { selection: "keys", key: "arn:aws:kms:us-east-1:000000000000:key/x", period: "" };

async function plannedPlanId(): Promise<string> {
  const key = await fixableKey();
  const result = cli(["fix", "plan", "--key", key.arn]);
  if (result.status !== 0) throw new Error(result.stderr);
  return result.stdout.trim().split("\n").at(-1)!;
}

async function planCount(): Promise<number> {
  return withDb(async (c) => Number((await c.query("SELECT count(*) AS n FROM fix_plans")).rows[0].n));
}

test.describe("viewer", () => {
  test.use({ storageState: STORAGE.viewer });

  test("is refused every fix action on the server, and nothing changes", async ({ request }) => {
    const id = await plannedPlanId();
    const before = await planCount();
    for (const [name, message] of [
      ["planFix", "Only analysts and admins can plan fixes."],
      ["approveFixAction", "Only admins can approve, run or cancel fixes."],
      ["runFixAction", "Only admins can approve, run or cancel fixes."],
      ["cancelFixAction", "Only admins can approve, run or cancel fixes."],
      ["rollbackFixAction", "Only analysts and admins can plan fixes."],
    ] as const) {
      const res = await callActionWithForm(request, serverAction("fixes/actions.ts", name), {
        ...FIX_FORM,
        id,
        count: "1",
      });
      expect(res.status, name).toBeLessThan(500);
      expect(res.body, name).toContain(message);
    }
    expect(await planCount()).toBe(before);
    expect(
      await withDb(
        async (c) => (await c.query("SELECT status FROM fix_plans WHERE id = $1", [id])).rows[0].status,
      ),
    ).toBe("PLANNED");
  });
});

test.describe("analyst", () => {
  test.use({ storageState: STORAGE.analyst });

  test("may plan, but not approve, run or cancel", async ({ request }) => {
    const id = await plannedPlanId();
    for (const name of ["approveFixAction", "runFixAction", "cancelFixAction"]) {
      const res = await callActionWithForm(request, serverAction("fixes/actions.ts", name), {
        id,
        count: "1",
      });
      expect(res.status, name).toBeLessThan(500);
      expect(res.body, name).toContain("Only admins can approve, run or cancel fixes.");
    }
    expect(
      await withDb(
        async (c) => (await c.query("SELECT status FROM fix_plans WHERE id = $1", [id])).rows[0].status,
      ),
    ).toBe("PLANNED");
    // Planning is allowed: an unknown key is a sentence, not an error page.
    const planned = await callActionWithForm(request, serverAction("fixes/actions.ts", "planFix"), FIX_FORM);
    expect(planned.status).toBeLessThan(500);
    expect(planned.body).toContain("unknown to the console");
  });
});

test("a plan names the keys it skips for want of remediation access, and gives their CLI commands", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const account = await withDb(
    async (c) =>
      (
        await c.query<{ id: string }>(
          `SELECT a.id FROM aws_accounts a WHERE a.remediation_method IS NULL
           AND EXISTS (SELECT 1 FROM kms_keys k WHERE k.account_id = a.id AND k.reason = 'ROTATION_DISABLED'
             AND k.status = 'OPEN' AND k.gone_at IS NULL) ORDER BY a.id LIMIT 1`,
        )
      ).rows[0]?.id,
  );
  expect(account, "the demo has an account without remediation access").toBeDefined();
  const page = await (await browser.newContext({ storageState: STORAGE.admin })).newPage();
  await page.goto(`/insights/kms-key-rotation?account=${account}&severity=CRITICAL&sort=keyId`);
  const row = page.locator("tbody tr[data-severity]").first();
  const keyId = (await row.getAttribute("data-key-id"))!;
  await row.getByRole("checkbox", { name: /^Select key / }).check();
  await page
    .getByRole("region", { name: "Selected keys" })
    .getByRole("button", { name: "Plan a fix" })
    .click();
  await expect(page).toHaveURL(/\/fixes\/[a-z0-9]+$/);
  const offer = page.getByTestId("no-access-commands");
  await expect(offer).toContainText("1 key skipped: its account has no remediation access.");
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    offer.getByRole("button", { name: "Download their AWS CLI commands" }).click(),
  ]);
  const script = await readFile((await download.path())!, "utf8");
  expect(script).toContain(`aws kms enable-key-rotation --key-id ${keyId}`);
});
