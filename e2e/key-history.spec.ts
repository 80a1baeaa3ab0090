import { readFileSync } from "node:fs";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { CloudTrailClient, LookupEventsCommand } from "@aws-sdk/client-cloudtrail";
import { expect, test } from "@playwright/test";
import { E2E_DATA_DIR } from "../playwright.config";
import { callActionWithForm, serverAction } from "./server-actions";
import { cli, signIn, STORAGE, withDb, waitForScannedEstate } from "./support";

// "Who changed it" on a key page of the demo estate: the history is loaded from the sandbox's
// CloudTrail only when asked, names the person who turned rotation off, and stays cached.

test.use({ storageState: STORAGE.viewer, viewport: { width: 1440, height: 900 } });

const demo = () =>
  JSON.parse(readFileSync(path.join(E2E_DATA_DIR, "demo-sandbox.json"), "utf8")) as {
    url: string;
    credentials: Record<string, { accessKeyId: string; secretAccessKey: string }>;
  };
const lookups = async () =>
  ((await (await fetch(`${demo().url}/__sandbox/stats`)).json()) as { byOperation: Record<string, number> })
    .byOperation.LookupEvents ?? 0;

interface Candidate {
  id: string;
  arn: string;
  account_id: string;
  region: string;
}

/** A demo key with rotation off, and who turned it off, as CloudTrail (the sandbox) tells it. */
async function keyTurnedOff(): Promise<{ key: Candidate; principal: string; address: string }> {
  const candidates = await withDb(
    async (db) =>
      (
        await db.query<Candidate>(
          `SELECT id, arn, account_id, region FROM kms_keys
           WHERE rotation_enabled = false AND key_state = 'Enabled' AND key_manager = 'CUSTOMER'
             AND key_spec = 'SYMMETRIC_DEFAULT' AND origin = 'AWS_KMS' AND gone_at IS NULL
             AND NOT EXISTS (SELECT 1 FROM key_change_fetches f WHERE f.key_arn = kms_keys.arn)
           ORDER BY arn`,
        )
      ).rows,
  );
  const { url, credentials } = demo();
  for (const key of candidates) {
    const client = new CloudTrailClient({
      endpoint: url,
      region: key.region,
      credentials: credentials[key.account_id]!,
    });
    const { Events } = await client.send(
      new LookupEventsCommand({
        LookupAttributes: [{ AttributeKey: "ResourceName", AttributeValue: key.arn }],
      }),
    );
    client.destroy();
    const off = Events?.find((e) => e.EventName === "DisableKeyRotation");
    if (!off) continue;
    const record = JSON.parse(off.CloudTrailEvent!) as {
      userIdentity: { arn: string };
      sourceIPAddress: string;
    };
    return { key, principal: record.userIdentity.arn, address: record.sourceIPAddress };
  }
  throw new Error("no demo key with rotation turned off has a DisableKeyRotation event");
}

test.beforeAll(async () => {
  test.setTimeout(300_000);
  await waitForScannedEstate({ idle: true });
});

test("a key whose rotation was turned off shows who did it, loaded from CloudTrail on demand", async ({
  page,
}) => {
  const { key, principal, address } = await keyTurnedOff();
  const before = await lookups();
  await page.goto(`/keys/${encodeURIComponent(key.id)}`);
  const section = page.getByRole("region", { name: "Who changed it" });
  await expect(section).toBeVisible();
  // Opening the page asks AWS nothing.
  await expect(section.getByTestId("key-changes")).toHaveCount(0);
  expect(await lookups()).toBe(before);

  // By keyboard: focus the button, press Enter.
  const load = section.getByRole("button", { name: "Load history from CloudTrail" });
  await load.focus();
  await page.keyboard.press("Enter");
  await expect(
    section.getByRole("status").filter({ hasText: /Loaded \d+ changes? from CloudTrail/ }),
  ).toBeVisible();
  const table = section.getByRole("table", { name: /Changes to this key recorded by CloudTrail/ });
  const offRow = table.getByRole("row").filter({ hasText: "Rotation turned off" }).first();
  await expect(offRow).toContainText(principal);
  await expect(offRow).toContainText(address);
  await expect(offRow).toContainText(key.region);
  expect(await lookups()).toBe(before + 1);

  // Cached: a reload shows it without asking CloudTrail, with the fetch time and Refresh.
  await page.reload();
  await expect(section.getByText(/^Fetched \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC from CloudTrail/)).toBeVisible();
  await expect(table.getByRole("row").filter({ hasText: principal }).first()).toBeVisible();
  expect(await lookups()).toBe(before + 1);
  await section.getByRole("button", { name: "Refresh" }).click();
  await expect(section.getByRole("status").filter({ hasText: /Loaded/ })).toBeVisible();
  expect(await lookups()).toBe(before + 2);

  // On a phone, dark: the page does not scroll sideways (the table scrolls in its own box), and
  // axe finds nothing serious.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.emulateMedia({ colorScheme: "dark" });
  await page.reload();
  await expect(table).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  const { violations } = await new AxeBuilder({ page })
    .include('[aria-labelledby="changes-heading"]')
    .analyze();
  expect(violations.filter((v) => v.impact === "serious" || v.impact === "critical")).toEqual([]);
});

test("a refused CloudTrail says the scanning role lacks cloudtrail:LookupEvents, and keeps the events", async ({
  page,
}) => {
  const { url } = demo();
  const setFaults = (faults: object) =>
    fetch(`${url}/__sandbox/faults`, { method: "POST", body: JSON.stringify(faults) });
  const { key, principal } = await keyTurnedOff();
  await page.goto(`/keys/${encodeURIComponent(key.id)}`);
  const section = page.getByRole("region", { name: "Who changed it" });
  await section.getByRole("button", { name: "Load history from CloudTrail" }).click();
  await expect(section.getByRole("row").filter({ hasText: principal }).first()).toBeVisible();
  await setFaults({ accessDenied: { operations: ["LookupEvents"] } });
  try {
    await section.getByRole("button", { name: "Refresh" }).click();
    await expect(section.getByRole("alert")).toContainText("add cloudtrail:LookupEvents");
    await expect(section.getByRole("row").filter({ hasText: principal }).first()).toBeVisible();
    await page.reload();
    await expect(section.getByRole("alert")).toContainText("add cloudtrail:LookupEvents");
    await expect(section.getByRole("row").filter({ hasText: principal }).first()).toBeVisible();
  } finally {
    await setFaults({});
  }
});

test.describe("scoped to another account", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("a user whose accounts do not include the key's is refused, and CloudTrail is not asked", async ({
    page,
  }) => {
    const scoped = { email: "history-scoped@e2e.test", password: "e2e-history-scoped-password-1" };
    const { key } = await keyTurnedOff();
    const other = await withDb(
      async (c) =>
        (
          await c.query<{ id: string }>("SELECT id FROM aws_accounts WHERE id <> $1 LIMIT 1", [
            key.account_id,
          ])
        ).rows[0]!.id,
    );
    const added = cli(["users", "add", "--email", scoped.email, "--role", "viewer"], scoped.password + "\n");
    if (added.status !== 0 && !added.stderr.includes("already exists")) throw new Error(added.stderr);
    expect(cli(["users", "scope", "--email", scoped.email, "--account", other]).status).toBe(0);
    await signIn(page, scoped);
    const before = await lookups();
    const res = await callActionWithForm(
      page.request,
      serverAction("keys/[id]/actions.ts", "loadKeyHistoryAction"),
      {
        keyId: key.id,
        refresh: "1",
      },
    );
    expect(res.status).toBeLessThan(500);
    expect(res.body).toContain("This key does not exist or is not in your accounts.");
    expect(await lookups()).toBe(before);
    expect(
      await withDb(
        async (c) =>
          (await c.query("SELECT 1 FROM key_change_fetches WHERE key_arn = $1", [key.arn])).rowCount,
      ),
    ).toBe(0);
  });
});
