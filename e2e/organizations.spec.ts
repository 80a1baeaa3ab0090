import { expect, test } from "@playwright/test";
import { ORG_PROFILE as PROFILE, ORG_SANDBOX_URL } from "../playwright.config";
import { STORAGE, withDb } from "./support";

// An admin adds an AWS organization served by the second sandbox (e2e/org-sandbox.ts), reached
// with a named profile; its first sync adds the accounts, which the Accounts page shows with their
// OU path; then the admin removes it with its accounts, leaving the demo estate as it was.

interface SandboxOrg {
  managementAccountId: string;
  rootId: string;
  memberRole: { roleName: string; externalId: string };
  units: { id: string; name: string; parentId: string }[];
  members: { accountId: string; name: string; parentId: string; status: string }[];
  leaverId?: string;
}

let org: SandboxOrg;

test.use({ storageState: STORAGE.admin });

test.beforeAll(async () => {
  // The sandbox (e2e/org-sandbox.ts) wrote the profile's credentials before the console started.
  org = (await (await fetch(`${ORG_SANDBOX_URL}/__sandbox/organization`)).json()) as SandboxOrg;
});

/** "Root / Workloads / Prod": the member's OU names from the root. */
function pathOf(member: SandboxOrg["members"][number]): string {
  const names: string[] = [];
  for (let p = member.parentId; p !== org.rootId; p = org.units.find((u) => u.id === p)!.parentId)
    names.unshift(org.units.find((u) => u.id === p)!.name);
  return ["Root", ...names].join(" / ");
}

test("an admin adds an organization, it syncs, and its accounts show their OU path", async ({ page }) => {
  await page.goto("/organizations");
  await expect(page.getByRole("heading", { level: 1, name: "AWS organizations" })).toBeVisible();
  const form = page.getByRole("form", { name: "Add organization" });

  // The browser's check: a bad member role name and OU id are refused before sending.
  await form.getByLabel("Name", { exact: true }).fill("E2E Org");
  await form.getByLabel("Member role name").fill("has spaces");
  await form.getByLabel("Include OUs (optional)").fill("ou-1");
  await form.getByRole("button", { name: "Add organization" }).click();
  await expect(form.getByText(/A role name is 1 to 64/)).toBeVisible();
  await expect(form.getByText('Not an OU or root id (ou-abcd-12345678, r-abcd): "ou-1".')).toBeVisible();

  await form.getByLabel("A named profile from this host's AWS config").check();
  await form.getByLabel("Profile", { exact: true }).fill(PROFILE);
  await form.getByLabel("Member role name").fill(org.memberRole.roleName);
  await form.getByLabel("Member role external id (optional)").fill(org.memberRole.externalId);
  await form.getByLabel("Include OUs (optional)").fill("");
  await form.getByLabel("Allowed regions (optional)").fill("us-east-1");
  await form.getByLabel("Endpoint (optional, for a compatible service)").fill(ORG_SANDBOX_URL);
  await form.getByRole("button", { name: "Add organization" }).click();
  await expect(page.getByText("Added organization E2E Org. Its first sync has started.")).toBeVisible();

  // The worker syncs it: the row shows the summary once it is done.
  const active = org.members.filter((m) => m.status === "ACTIVE");
  await expect
    .poll(
      async () => {
        await page.goto("/organizations");
        return page
          .getByRole("row", { name: /E2E Org/ })
          .getByTestId("last-sync")
          .innerText();
      },
      { timeout: 60_000, intervals: [1_000] },
    )
    .toContain(`${org.members.length} accounts listed: ${active.length} added`);
  await page.getByRole("button", { name: "Sync E2E Org now" }).click();
  await expect(page.getByText("Sync of E2E Org started; reload to see its result.")).toBeVisible();

  await page.goto("/accounts");
  // (The sandbox's leaver leaves right after the first listing: its path cannot be read.)
  const nested = active.find((m) => m.parentId !== org.rootId && m.accountId !== org.leaverId)!;
  const row = page.getByRole("row", { name: new RegExp(nested.accountId) });
  await expect(row.getByTestId("ou-path")).toHaveText(`E2E Org: ${pathOf(nested)}`);
  const audit = await withDb((c) =>
    c.query<{ action: string }>(
      `SELECT action FROM audit_log WHERE action LIKE 'organization.%' AND actor_email = 'admin@e2e.test' ORDER BY id`,
    ),
  );
  expect(audit.rows.map((r) => r.action)).toEqual(
    expect.arrayContaining(["organization.create", "organization.sync"]),
  );

  // Removed with its accounts: the demo estate is left as it was for the other specs.
  await page.goto("/organizations");
  const orgRow = page.getByRole("row", { name: /E2E Org/ });
  await orgRow.getByText("Remove…").click();
  await orgRow.getByLabel("Remove them and their keys' data").check();
  await orgRow.getByRole("button", { name: "Remove E2E Org" }).click();
  await expect(page.getByText(/Removed organization E2E Org and its \d+ account\(s\)/)).toBeVisible();
  const left = await withDb((c) =>
    c.query(`SELECT id FROM aws_accounts WHERE id = ANY($1)`, [active.map((m) => m.accountId)]),
  );
  expect(left.rowCount).toBe(0);
});

test("an admin edits an organization; a refused edit keeps what was typed", async ({ page }) => {
  const id = `e2e-edit-${Date.now().toString(16)}`;
  const taken = `${id}-taken`;
  await withDb((c) =>
    c.query(
      `INSERT INTO organizations (id, name, access_method, profile, member_role_name, region_deny, updated_at)
       VALUES ($1, 'E2E Edit Org', 'PROFILE', $3, 'OldMemberRole', '{ap-east-1}', now()),
              ($2, 'E2E Taken Org', 'DEFAULT_CHAIN', NULL, 'OldMemberRole', '{}', now())`,
      [id, taken, PROFILE],
    ),
  );
  try {
    await page.goto("/organizations");
    await page.getByRole("link", { name: "Edit E2E Edit Org" }).click();
    const form = page.getByRole("form", { name: "Edit organization" });
    await expect(page.getByRole("heading", { name: "Edit E2E Edit Org" })).toBeVisible();
    await expect(form.getByLabel("Name", { exact: true })).toHaveValue("E2E Edit Org");
    await expect(form.getByLabel("A named profile from this host's AWS config")).toBeChecked();
    await expect(form.getByLabel("Profile", { exact: true })).toHaveValue(PROFILE);
    await expect(form.getByLabel("Denied regions (optional)")).toHaveValue("ap-east-1");

    // The server refuses a name another organization has: the field says why, the rest stays typed.
    await form.getByLabel("Name", { exact: true }).fill("E2E Taken Org");
    await form.getByLabel("Member role name").fill("NewMemberRole");
    await form.getByLabel("Allowed regions (optional)").fill("us-east-1, eu-west-1");
    await form.getByRole("button", { name: "Save organization" }).click();
    await expect(form.getByText("This name is already used.")).toBeVisible();
    await expect(form.getByText("Nothing was saved: fix the fields marked below.")).toBeVisible();
    await expect(form.getByLabel("Name", { exact: true })).toHaveValue("E2E Taken Org");
    await expect(form.getByLabel("Member role name")).toHaveValue("NewMemberRole");
    await expect(form.getByLabel("Allowed regions (optional)")).toHaveValue("us-east-1, eu-west-1");

    await form.getByLabel("Name", { exact: true }).fill("E2E Edited Org");
    await form.getByRole("button", { name: "Save organization" }).click();
    await expect(
      form.getByText("Saved organization E2E Edited Org. Its rules apply from the next sync."),
    ).toBeVisible();
    const row = page.getByRole("row", { name: /E2E Edited Org/ });
    await expect(row).toContainText("NewMemberRole");
    await expect(row).toContainText("Regions: eu-west-1, us-east-1");
    const audit = await withDb((c) =>
      c.query<{ n: string }>(
        `SELECT count(*) AS n FROM audit_log WHERE action = 'organization.update' AND target = $1 AND actor_email = 'admin@e2e.test'`,
        [id],
      ),
    );
    expect(Number(audit.rows[0]!.n)).toBe(1);
  } finally {
    await withDb((c) => c.query(`DELETE FROM organizations WHERE id = ANY($1)`, [[id, taken]]));
  }
});
