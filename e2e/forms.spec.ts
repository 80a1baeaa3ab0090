import { expect, test, type Locator, type Page } from "@playwright/test";
import { AWS_REGIONS } from "../lib/aws/regions";
import { callActionWithForm, serverActions } from "./server-actions";
import { STORAGE, withDb } from "./support";

// The console's forms, one way for all: a refused form keeps what was typed, says what is wrong
// beside each field under a summary, and puts the focus on the first field in error; what the
// browser can check is checked before anything is sent.

test.use({ storageState: STORAGE.admin });

/** Counts the server-action posts the page makes from now on. */
function countActionPosts(page: Page): () => number {
  let posts = 0;
  page.on("request", (r) => {
    if (r.method() === "POST" && r.headers()["next-action"]) posts++;
  });
  return () => posts;
}

/** Submits with `button` and waits for the action's answer. */
async function submitToServer(page: Page, button: Locator): Promise<void> {
  await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST" && !!r.request().headers()["next-action"]),
    button.click(),
  ]);
}

/** `control` shows `message` beside it: marked invalid and described by it. */
async function expectErrorBeside(control: Locator, message: string): Promise<void> {
  await expect(control).toHaveAttribute("aria-invalid", "true");
  await expect(control).toHaveAccessibleDescription(new RegExp(escape(message)));
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

const auditRows = (action: string) =>
  withDb(
    async (c) =>
      (await c.query("SELECT count(*)::int AS n FROM audit_log WHERE action LIKE $1", [action])).rows[0]
        .n as number,
  );

const someAccountId = () =>
  withDb(
    async (c) => (await c.query("SELECT id FROM aws_accounts ORDER BY id LIMIT 1")).rows[0].id as string,
  );

test.describe("the account form", () => {
  test("a server refusal keeps every value, with the error beside the field and the focus on it", async ({
    page,
  }) => {
    const taken = (await someAccountId()).trim();
    await page.goto("/accounts");
    const form = page.getByRole("form", { name: "Add account" });
    const regions = form.getByRole("group", { name: "Regions" });

    await form.getByLabel("Account id").fill(taken);
    await form.getByLabel("Name", { exact: true }).fill("Forms E2E");
    await form.getByRole("button", { name: "Select all regions" }).click();
    await expect(regions).toContainText(`${AWS_REGIONS.length} of ${AWS_REGIONS.length} chosen`);
    await form.getByRole("button", { name: "Clear regions" }).click();
    await expect(regions).toContainText(`0 of ${AWS_REGIONS.length} chosen`);
    await regions.getByLabel("eu-west-1").check();
    await regions.getByLabel("ap-southeast-2").check();
    await form.getByLabel("Role ARN").fill(`arn:aws:iam::${taken}:role/FormsE2E`);
    await form.getByLabel(/External id/).fill("forms-e2e-external");

    // The browser cannot know the id is taken: the server says so.
    const before = await auditRows("account.%");
    await submitToServer(page, form.getByRole("button", { name: "Add account" }));
    await expect(form.getByRole("alert")).toHaveText("Nothing was saved: fix the fields marked below.");
    await expectErrorBeside(form.getByLabel("Account id"), "This account is already configured.");
    await expect(form.getByLabel("Account id")).toBeFocused();

    await expect(form.getByLabel("Account id")).toHaveValue(taken);
    await expect(form.getByLabel("Name", { exact: true })).toHaveValue("Forms E2E");
    await expect(form.getByLabel("Role ARN")).toHaveValue(`arn:aws:iam::${taken}:role/FormsE2E`);
    await expect(form.getByLabel(/External id/)).toHaveValue("forms-e2e-external");
    await expect(form.getByLabel(/^Assume a role/)).toBeChecked();
    await expect(regions).toContainText(`2 of ${AWS_REGIONS.length} chosen`);
    await expect(regions.getByLabel("eu-west-1")).toBeChecked();
    await expect(regions.getByLabel("ap-southeast-2")).toBeChecked();
    await expect(regions.getByLabel("us-east-1")).not.toBeChecked();
    expect(await auditRows("account.%")).toBe(before);
  });

  test("what the browser can check stops the form before it is sent, with the server's messages", async ({
    page,
  }) => {
    await page.goto("/accounts");
    await page.waitForLoadState("networkidle");
    const posts = countActionPosts(page);
    const before = await auditRows("account.%");
    const form = page.getByRole("form", { name: "Add account" });
    const regions = form.getByRole("group", { name: "Regions" });

    await form.getByLabel("Account id").fill("12345");
    await form.getByLabel("Name", { exact: true }).fill("Too short");
    await form.getByRole("button", { name: "Clear regions" }).click();
    await form.getByLabel("Role ARN").fill("arn:aws:iam::12345:role/x");
    await form.getByRole("button", { name: "Add account" }).click();

    await expect(form.getByRole("alert")).toHaveText("Nothing was sent: fix the fields marked below.");
    await expectErrorBeside(form.getByLabel("Account id"), "An AWS account id is exactly 12 digits.");
    await expectErrorBeside(regions.getByLabel("us-east-1"), "Choose at least one region.");
    await expectErrorBeside(
      form.getByLabel("Role ARN"),
      "A role ARN looks like arn:aws:iam::123456789012:role/KmsInsightsReadOnly.",
    );
    await expect(form.getByLabel("Account id")).toBeFocused();
    await expect(form.getByLabel("Account id")).toHaveValue("12345");

    // Fixing the first field moves the focus to the next one still wrong on the next try.
    await form.getByLabel("Account id").fill("123456789012");
    await form.getByRole("button", { name: "Add account" }).click();
    await expect(regions.getByLabel("us-east-1")).toBeFocused();
    await expect(form.getByLabel("Account id")).toHaveAttribute("aria-invalid", "false");

    expect(posts()).toBe(0);
    expect(await auditRows("account.%")).toBe(before);
  });
});

test.describe("the exception form", () => {
  const expires = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

  test("a server refusal keeps every value, with the error beside the field and the focus on it", async ({
    page,
  }) => {
    const account = (await someAccountId()).trim();
    // Well formed, so the browser lets it through; no scan has seen it.
    const unknownKey = `arn:aws:kms:us-east-1:${account}:key/00000000-0000-4000-8000-00000000f0f0`;
    await page.goto(`/exceptions/new?key=${encodeURIComponent(unknownKey)}`);
    const form = page.getByRole("form", { name: "New exception" });
    await form.getByLabel(/^False positive/).check();
    await form.getByLabel("Justification").fill("Forms E2E: the key is a test double");
    await form.getByLabel("Expires on").fill(expires(30));
    await form.getByLabel("Ticket link (optional)").fill("https://tickets.example.com/FORMS-1");

    const before = await auditRows("exception.%");
    await submitToServer(page, form.getByRole("button", { name: "Create exception" }));
    await expect(form.getByRole("alert")).toHaveText("Nothing was saved: fix the fields marked below.");
    const keys = form.getByLabel("Key ARNs, one a line");
    await expectErrorBeside(keys, "1 of the chosen keys are unknown to the console");
    await expect(keys).toBeFocused();

    await expect(keys).toHaveValue(unknownKey);
    await expect(form.getByLabel(/^False positive/)).toBeChecked();
    await expect(form.getByLabel("Justification")).toHaveValue("Forms E2E: the key is a test double");
    await expect(form.getByLabel("Expires on")).toHaveValue(expires(30));
    await expect(form.getByLabel("Ticket link (optional)")).toHaveValue(
      "https://tickets.example.com/FORMS-1",
    );
    expect(await auditRows("exception.%")).toBe(before);
  });

  test("an expiry beyond the limit and a ticket that is not http(s) are stopped before sending", async ({
    page,
  }) => {
    await page.goto("/exceptions/new");
    await page.waitForLoadState("networkidle");
    const posts = countActionPosts(page);
    const form = page.getByRole("form", { name: "New exception" });
    await form.getByLabel("Justification").fill("Forms E2E: too long");
    await form.getByLabel("Expires on").fill(expires(400));
    await form.getByLabel("Ticket link (optional)").fill("ftp://tickets.example.com/FORMS-2");
    await form.getByLabel("Key ARNs, one a line").fill("arn:aws:kms:us-east-1:111111111111:key/forms");
    await form.getByRole("button", { name: "Create exception" }).click();

    await expect(form.getByRole("alert")).toHaveText("Nothing was sent: fix the fields marked below.");
    await expectErrorBeside(
      form.getByLabel("Expires on"),
      "An exception lasts at most 365 days: choose an earlier expiry.",
    );
    await expectErrorBeside(
      form.getByLabel("Ticket link (optional)"),
      "A ticket link must be an http:// or https:// address",
    );
    await expect(form.getByLabel("Expires on")).toBeFocused();
    await expect(form.getByLabel("Justification")).toHaveValue("Forms E2E: too long");
    expect(posts()).toBe(0);
  });
});

test.describe("the other forms", () => {
  test("adding a user: a taken email is refused beside the field, the rest is checked before sending", async ({
    page,
  }) => {
    await page.goto("/users");
    await page.waitForLoadState("networkidle");
    const form = page.getByRole("form", { name: "Add user" });
    await form.getByLabel("Email").fill("admin@e2e.test");
    await form.getByLabel("Password", { exact: true }).fill("forms-e2e-password");
    await form.getByLabel("Repeat password").fill("forms-e2e-passwordX");
    const posts = countActionPosts(page);
    await form.getByRole("button", { name: "Add user" }).click();
    await expectErrorBeside(form.getByLabel("Repeat password"), "The passwords do not match.");
    await expect(form.getByLabel("Repeat password")).toBeFocused();
    expect(posts()).toBe(0);

    await form.getByLabel("Repeat password").fill("forms-e2e-password");
    await submitToServer(page, form.getByRole("button", { name: "Add user" }));
    await expectErrorBeside(form.getByLabel("Email"), "A user with email admin@e2e.test already exists.");
    await expect(form.getByLabel("Email")).toBeFocused();
    await expect(form.getByLabel("Email")).toHaveValue("admin@e2e.test");
    await expect(form.getByLabel("Password", { exact: true })).toHaveValue("forms-e2e-password");

    // Accepted, the form that adds empties itself for the next one.
    const fresh = `forms.${Date.now()}@e2e.test`;
    await form.getByLabel("Email").fill(fresh);
    await submitToServer(page, form.getByRole("button", { name: "Add user" }));
    await expect(form.getByRole("status")).toContainText(`Added viewer ${fresh}.`);
    await expect(form.getByLabel("Email")).toHaveValue("");
    await expect(form.getByLabel("Password", { exact: true })).toHaveValue("");
    await expect(form.getByLabel("Email")).toHaveAttribute("aria-invalid", "false");
  });

  test("removing an account: the typed id must match, said beside the box before anything is sent", async ({
    page,
  }) => {
    const id = (await someAccountId()).trim();
    await page.goto("/accounts");
    await page.waitForLoadState("networkidle");
    const posts = countActionPosts(page);
    const row = page.getByRole("row").filter({ hasText: id });
    await row.getByText("Remove…").click();
    const confirm = row.getByLabel(`Type ${id} to confirm`);
    await confirm.fill(`${id}0`);
    await row.getByRole("button", { name: "Remove" }).click();
    await expectErrorBeside(confirm, `Type ${id} to confirm the removal.`);
    await expect(confirm).toBeFocused();
    await expect(confirm).toHaveValue(`${id}0`);
    expect(posts()).toBe(0);
  });

  test("the audit filter: a range that ends before it starts is stopped, and a refused URL value comes back beside its field", async ({
    page,
  }) => {
    await page.goto("/audit?actor=admin&from=2026-11-30&to=2026-11-01");
    const form = page.getByRole("form", { name: "Filter the audit log" });
    await expectErrorBeside(form.getByLabel("To (UTC day, included)"), 'It is before from "2026-11-30".');
    await expect(form.getByLabel("To (UTC day, included)")).toHaveValue("2026-11-01");
    await expect(form.getByLabel("To (UTC day, included)")).toBeFocused();
    await expect(form.getByLabel("Who (email contains)")).toHaveValue("admin");

    await form.getByLabel("From (UTC day)").fill("2026-12-01");
    await form.getByRole("button", { name: "Filter" }).click();
    await expect(page).toHaveURL(/from=2026-11-30/);
    await expectErrorBeside(form.getByLabel("To (UTC day, included)"), 'It is before from "2026-12-01".');
  });
});

test("the server refuses on its own what the browser would have stopped, beside the same fields", async ({
  page,
}) => {
  const action = (name: string) => serverActions().find((a) => a.name.endsWith(name))!;
  const before = [await auditRows("account.%"), await auditRows("exception.%")];
  const account = await callActionWithForm(page.request, action("accounts/actions.ts#saveAccountAction"), {
    mode: "add",
    id: "12345",
    name: "Forms E2E",
    regions: "us-east-1",
    accessMethod: "ROLE",
    roleArn: "arn:aws:iam::12345:role/x",
  });
  expect(account.status).toBe(200);
  expect(account.body).toContain('"id":["An AWS account id is exactly 12 digits."]');
  expect(account.body).toContain('"roleArn":["A role ARN looks like');

  const exception = await callActionWithForm(
    page.request,
    action("exceptions/actions.ts#saveExceptionAction"),
    {
      kind: "accepted-risk",
      justification: "Forms E2E",
      ownerEmail: "admin@e2e.test",
      expires: new Date(Date.now() + 400 * 86_400_000).toISOString().slice(0, 10),
      ticketUrl: "ftp://tickets.example.com/FORMS-3",
      scopeMode: "keys",
      keyArns: "arn:aws:kms:us-east-1:111111111111:key/forms",
    },
  );
  expect(exception.status).toBe(200);
  expect(exception.body).toContain('"expires":["An exception lasts at most 365 days');
  expect(exception.body).toContain('"ticketUrl":["A ticket link must be an http:// or https:// address"]');
  expect([await auditRows("account.%"), await auditRows("exception.%")]).toEqual(before);
});
