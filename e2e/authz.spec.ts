import { expect, test, type APIRequestContext } from "@playwright/test";
import { type ActionEntry, callActionWithForm, serverActions } from "./server-actions";
import { STORAGE, withDb } from "./support";

// Every server action of the build, called directly over HTTP (as a hostile client would, without
// the page's buttons) as a signed-out client and as a viewer: refused, and nothing stored changes.
// Admin-only route handlers likewise.

const ADMIN_ACTION_FILES =
  /app\/\(console\)\/(accounts|users|settings|scans|alerts|organizations)\/actions\.ts$/;

async function snapshot(): Promise<string[]> {
  return withDb(async (c) => {
    const out: string[] = [];
    for (const table of [
      "users",
      "aws_accounts",
      "settings",
      "user_account_scopes",
      "scans",
      "compliance_mappings",
      "exceptions",
      "saved_views",
      "alert_destinations",
      "alert_rules",
      "alert_deliveries",
      "api_tokens",
      "organizations",
    ]) {
      const { rows } = await c.query(
        `SELECT count(*) AS n, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS h FROM ${table} t`,
      );
      out.push(`${table}:${rows[0].n}:${rows[0].h}`);
    }
    return out;
  });
}

async function callAction(request: APIRequestContext, action: ActionEntry) {
  const res = await request.post(action.page, {
    headers: {
      "Next-Action": action.id,
      Accept: "text/x-component",
      "Content-Type": "text/plain;charset=UTF-8",
    },
    data: "[]",
    maxRedirects: 0,
  });
  return { status: res.status(), body: await res.text() };
}

const actions = serverActions();
const exceptionAction = (name: string) => {
  const action = actions.find((a) => a.name.endsWith(`exceptions/actions.ts#${name}`));
  if (!action) throw new Error(`no server action ${name}`);
  return action;
};

/** A pending exception written straight into the database: what the refused calls aim at. */
async function pendingException(): Promise<string> {
  const id = `exc_authz${Date.now().toString(16)}`;
  await withDb((c) =>
    c.query(
      `INSERT INTO exceptions (id, series_id, version, kind, justification, owner_email, created_by_email,
         expires_at, accounts)
       SELECT $1, $1, 1, 'ACCEPTED_RISK', 'authz probe', 'admin@e2e.test', 'admin@e2e.test',
         now() + interval '30 days', ARRAY[id] FROM aws_accounts ORDER BY id LIMIT 1`,
      [id],
    ),
  );
  return id;
}

const EXCEPTION_FORM = (id: string, keyArn: string) => ({
  id,
  kind: "accepted-risk",
  justification: "authz probe",
  ownerEmail: "admin@e2e.test",
  expires: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10),
  ticketUrl: "",
  scopeMode: "keys",
  keyArns: keyArn,
});

test("the build has the admin server actions this test expects", () => {
  const names = actions.map((a) => a.name).join("\n");
  for (const n of [
    "saveAccountAction",
    "removeAccountAction",
    "scanNowAction",
    "saveSettingsAction",
    "addOrganizationAction",
    "updateOrganizationAction",
    "syncNowAction",
    "removeOrganizationAction",
  ])
    expect(names).toContain(n);
});

test.describe("signed out", () => {
  test("every server action answers 401 and changes nothing", async ({ playwright, baseURL }) => {
    const request = await playwright.request.newContext({ baseURL });
    const before = await snapshot();
    for (const action of actions) {
      const res = await callAction(request, action);
      expect(res.status, action.name).toBe(401);
    }
    expect(await snapshot()).toEqual(before);
    await request.dispose();
  });

  test("the CSV routes answer 401", async ({ playwright, baseURL }) => {
    const request = await playwright.request.newContext({ baseURL });
    for (const url of [
      "/insights/kms-key-rotation/export.csv",
      "/insights/kms-key-rotation/export?format=ocsf",
      "/audit/export.csv?action=x",
    ]) {
      expect((await request.get(url)).status(), url).toBe(401);
    }
    await request.dispose();
  });
});

test.describe("viewer", () => {
  test.use({ storageState: STORAGE.viewer });

  test("every admin server action is refused and changes nothing", async ({ request }) => {
    const admin = actions.filter((a) => ADMIN_ACTION_FILES.test(a.name.split("#")[0]!));
    expect(admin.length).toBeGreaterThanOrEqual(5);
    const before = await snapshot();
    for (const action of admin) {
      const res = await callAction(request, action);
      expect(res.status, action.name).toBeLessThan(500);
      expect(res.body, action.name).toContain("Only an admin can do this.");
    }
    expect(await snapshot()).toEqual(before);
  });

  test("the exception actions refuse a viewer, even with a well-formed form, and change nothing", async ({
    request,
  }) => {
    const id = await pendingException();
    const before = await snapshot();
    for (const [name, message] of [
      ["saveExceptionAction", "Only analysts and admins can create, change or revoke exceptions."],
      ["approveExceptionAction", "Only admins can approve exceptions."],
      ["revokeExceptionAction", "Only analysts and admins can create, change or revoke exceptions."],
    ] as const) {
      const res = await callActionWithForm(
        request,
        exceptionAction(name),
        EXCEPTION_FORM(id, "arn:aws:kms:us-east-1:000000000000:key/x"),
      );
      expect(res.status, name).toBeLessThan(500);
      expect(res.body, name).toContain(message);
    }
    expect(await snapshot()).toEqual(before);
  });

  test("the audit export answers 403; the insight export is allowed", async ({ request }) => {
    expect((await request.get("/audit/export.csv")).status()).toBe(403);
    const csv = await request.get("/insights/kms-key-rotation/export.csv");
    expect(csv.status()).toBe(200);
    expect(csv.headers()["content-type"]).toContain("text/csv");
  });
});

test.describe("analyst", () => {
  test.use({ storageState: STORAGE.analyst });

  test("cannot approve, nor revoke another's exception: a refusal, and nothing changes", async ({
    request,
  }) => {
    const id = await pendingException();
    const before = await snapshot();
    const approve = await callActionWithForm(request, exceptionAction("approveExceptionAction"), { id });
    expect(approve.status).toBeLessThan(500);
    expect(approve.body).toContain("Only admins can approve exceptions.");
    const revoke = await callActionWithForm(request, exceptionAction("revokeExceptionAction"), { id });
    expect(revoke.status).toBeLessThan(500);
    expect(revoke.body).toContain("Analysts may revoke or change only the exceptions they created or own.");
    expect(await snapshot()).toEqual(before);
  });

  test("is refused every admin server action", async ({ request }) => {
    const admin = actions.filter((a) => ADMIN_ACTION_FILES.test(a.name.split("#")[0]!));
    for (const action of admin) {
      const res = await callAction(request, action);
      expect(res.body, action.name).toContain("Only an admin can do this.");
    }
  });
});

for (const role of ["viewer", "analyst"] as const)
  test.describe(`${role}: editing an organization`, () => {
    test.use({ storageState: STORAGE[role] });

    test("a well-formed edit is refused; nothing changes and nothing is audited", async ({ request }) => {
      const action = actions.find((a) =>
        a.name.endsWith("organizations/actions.ts#updateOrganizationAction"),
      )!;
      const id = await withDb(
        async (c) => (await c.query(`SELECT id FROM organizations LIMIT 1`)).rows[0]?.id,
      );
      const audited = () =>
        withDb(
          async (c) =>
            (await c.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'organization.update'`))
              .rows[0].n as number,
        );
      const before = [await snapshot(), await audited()];
      const res = await callActionWithForm(request, action, {
        id: String(id ?? "none"),
        name: "Renamed by a " + role,
        accessMethod: "DEFAULT_CHAIN",
        memberRoleName: "KmsInsightsReadOnly",
      });
      expect(res.status).toBeLessThan(500);
      expect(res.body).toContain("Only an admin can do this.");
      expect([await snapshot(), await audited()]).toEqual(before);
    });
  });

test.describe("admin", () => {
  test.use({ storageState: STORAGE.admin });

  test("passes the role check of the same actions (the check above can fail)", async ({ request }) => {
    const admin = actions.filter(
      (a) => ADMIN_ACTION_FILES.test(a.name.split("#")[0]!) && !a.name.endsWith("#scanNowAction"),
    );
    for (const action of admin) {
      const res = await callAction(request, action);
      expect(res.status, action.name).toBeLessThan(500);
      expect(res.body, action.name).not.toContain("Only an admin can do this.");
      // Called with no form (a script, not the page): a sentence saying so, not a failed action.
      expect(res.body, action.name).toContain("this action takes the form of its console page");
    }
  });
});
