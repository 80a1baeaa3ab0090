import { expect, test } from "@playwright/test";
import { formatUtcMinute } from "../lib/insight-table/display-dates";
import { SEVERITY_LABELS, type Severity } from "../lib/verdict/types";
import { STORAGE, withDb } from "./support";

// The dashboard against the demo estate that the first scan collects: every number is compared
// with the database, never with a constant.

test.use({ storageState: STORAGE.admin });

/** Waits for the first scan to finish (and none to run), so that the numbers hold still. */
async function settledScan(): Promise<{ id: string; status: string; started_at: Date; targets: number }> {
  const latest = () =>
    withDb(async (c) => {
      const busy = await c.query(`SELECT 1 FROM scans WHERE status IN ('QUEUED', 'RUNNING')`);
      const { rows } = await c.query(
        `SELECT s.id, s.status, s.started_at, (SELECT count(*)::int FROM scan_targets t WHERE t.scan_id = s.id) AS targets
         FROM scans s WHERE s.status IN ('SUCCEEDED', 'PARTIAL', 'FAILED') ORDER BY s.started_at DESC LIMIT 1`,
      );
      return busy.rowCount === 0 ? rows[0] : undefined;
    });
  await expect.poll(latest, { timeout: 180_000, intervals: [1_000] }).toBeDefined();
  const keys = await countKeys("TRUE");
  expect(keys, "the demo scan collected keys").toBeGreaterThan(0);
  return (await latest())!;
}

async function countKeys(condition: string): Promise<number> {
  return withDb(async (c) => {
    const { rows } = await c.query(
      `SELECT count(*)::int AS n FROM kms_keys WHERE gone_at IS NULL AND ${condition}`,
    );
    return rows[0].n as number;
  });
}

// Both tables of the spec's "Compliance mappings", as the spec writes them.
const SOURCE_MATERIAL = [
  {
    name: "PCI DSS",
    version: "v3.2.1",
    refs: ["3.6.4", "3.6.5"],
    link: "https://docs.aws.amazon.com/quickstart/latest/compliance-pci/welcome.html",
  },
  {
    name: "HIPAA",
    refs: ["164.312(d)", "164.312(e)(1)"],
    link: "https://aws.amazon.com/quickstart/architecture/compliance-hipaa/",
  },
  {
    name: "ISO 27001",
    version: "2013",
    refs: ["A.12.4.1", "A.12.4.3"],
    link: "https://www.iso.org/standard/54534.html",
  },
  {
    name: "NIST 800-53",
    refs: ["SC-12", "SC-13", "SC-17", "SC-28"],
    link: "https://docs.aws.amazon.com/quickstart/latest/compliance-nist/welcome.html",
  },
  { name: "GDPR", refs: ["Article 30"], link: "https://gdpr-info.eu/" },
];
const CURRENT_VERSIONS = [
  { name: "CIS AWS Foundations Benchmark", version: "v1.2.0", refs: ["2.8"] },
  { name: "CIS AWS Foundations Benchmark", version: "v1.4.0", refs: ["3.8"] },
  { name: "CIS AWS Foundations Benchmark", version: "v3.0.0", refs: ["3.6"] },
  { name: "CIS AWS Foundations Benchmark", version: "v5.0.0", refs: ["3.6"] },
  { name: "AWS Security Hub control", refs: ["KMS.4"] },
  { name: "PCI DSS", version: "v4.0.1", refs: ["3.7.4"] },
  { name: "NIST 800-53", version: "Rev. 5", refs: ["SC-12", "SC-28(3)"] },
  { name: "ISO/IEC 27001", version: "2022", refs: ["A.8.24"] },
];

test("the compliance page lists every framework of the spec with its status and affected keys", async ({
  page,
}) => {
  await settledScan();
  const failing = await countKeys(`severity IN ('CRITICAL', 'WARNING') AND status <> 'EXCEPTED'`);
  await page.goto("/compliance");
  await expect(page.getByRole("heading", { level: 1, name: "Compliance" })).toBeVisible();
  for (const [caption, frameworks] of [
    ["As listed in the source material", SOURCE_MATERIAL],
    ["Current framework versions", CURRENT_VERSIONS],
  ] as const) {
    const table = page.getByRole("table", { name: caption });
    for (const f of frameworks) {
      let row = table.getByRole("row").filter({ hasText: f.name });
      if ("version" in f && f.version) row = row.filter({ hasText: f.version });
      await expect(row, `${f.name} ${"version" in f ? f.version : ""}`).toHaveCount(1);
      for (const ref of f.refs) await expect(row).toContainText(ref);
      if ("link" in f) await expect(row.locator(`a[href="${f.link}"]`)).toHaveCount(1);
      await expect(row).toContainText(failing > 0 ? "fail" : "pass");
      const affected = row.getByRole("link", { name: new RegExp(`^${failing}\\s+keys fail`) });
      await expect(affected).toHaveAttribute(
        "href",
        "/insights/kms-key-rotation?severity=CRITICAL&severity=WARNING",
      );
    }
  }
});

test("the overview's Critical count is the stored count and opens the table filtered to CRITICAL", async ({
  page,
}) => {
  await settledScan();
  const critical = await countKeys(`severity = 'CRITICAL' AND status <> 'EXCEPTED'`);
  await page.goto("/");
  const card = page.getByRole("link", { name: /^Critical\s*\d+\s*keys$/ });
  await expect(card).toHaveAccessibleName(new RegExp(`^Critical\\s*${critical}\\s*keys$`));
  await card.click();
  await expect(page).toHaveURL(/\/insights\/kms-key-rotation\?/);
  expect(new URL(page.url()).searchParams.getAll("severity")).toEqual(["CRITICAL"]);
  const rows = page.locator("tbody tr[data-severity]");
  if (critical > 0) {
    await expect(rows.first()).toBeVisible();
    expect(
      new Set(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-severity")))),
    ).toEqual(new Set(["CRITICAL"]));
  } else {
    await expect(rows).toHaveCount(0);
  }
});

test("a key page opens from the table and shows its ARN and finding", async ({ page }) => {
  await settledScan();
  await page.goto("/insights/kms-key-rotation");
  const keyLink = page.getByRole("link").and(page.locator('tbody a[href^="/keys/"]')).first();
  const href = (await keyLink.getAttribute("href"))!;
  const id = decodeURIComponent(href.replace(/^\/keys\//, ""));
  const key = await withDb(async (c) => {
    const { rows } = await c.query(
      `SELECT key_id, arn, severity, finding_description, coalesce(aliases[1], key_id) AS name FROM kms_keys WHERE id = $1`,
      [id],
    );
    return rows[0] as {
      key_id: string;
      arn: string;
      severity: Severity;
      finding_description: string;
      name: string;
    };
  });
  // The key by its alias, else its id.
  await expect(keyLink).toHaveText(key.name);
  await keyLink.click();
  await expect(page).toHaveURL(new RegExp(`${href.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(key.name);
  await expect(page.getByTestId("key-arn")).toHaveText(key.arn);
  const finding = page.getByRole("region", { name: "Finding", exact: true });
  await expect(finding.getByText(SEVERITY_LABELS[key.severity], { exact: true })).toBeVisible();
  await expect(finding.getByTestId("finding-description")).toHaveText(key.finding_description);
  await expect(page.getByRole("region", { name: "Finding history" })).toBeVisible();
});

test("an unknown or malformed key id is a 404, not an error", async ({ page }) => {
  for (const path of ["/keys/no-such-key", "/keys/a%00b", `/keys/${"x".repeat(300)}`]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(404);
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  }
});

test("the scans page shows the demo scan with each account-region", async ({ page }) => {
  const scan = await settledScan();
  await page.goto("/scans");
  const entry = page.getByRole("region", { name: `Scan of ${formatUtcMinute(scan.started_at)}` }).first();
  await expect(entry).toBeVisible();
  await expect(entry.locator(`[data-status="${scan.status}"]`).first()).toBeVisible();
  // One row per account-region, plus the header row.
  await expect(entry.getByRole("row")).toHaveCount(scan.targets + 1);

  await page.goto("/scans?page=abc");
  await expect(page.getByRole("status").filter({ hasText: "Ignored page" })).toBeVisible();
  await expect(page.getByRole("region", { name: /^Scan of / }).first()).toBeVisible();
});
