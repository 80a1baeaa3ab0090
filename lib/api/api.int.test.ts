import Ajv2020 from "ajv/dist/2020";
import fc from "fast-check";
import type PgBoss from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBoss } from "@/lib/collector/queue";
import { createExportPool, type ExportPool } from "@/lib/db/export-pool";
import { EMPTY_FILTERS } from "@/lib/insight-table/filters";
import { fetchInsightPage } from "@/lib/insight-table/query";
import { setAccountScope } from "@/lib/users/account-scope";
import { createUser } from "@/lib/users/service";
import { useFreshDatabase } from "@/test/db";
import { ACCOUNTS, seedInsightRows } from "@/test/fixtures/insight-rows";
import { handleApiRequest, type ApiRequestContext } from "./handle";
import type { RateLimit } from "./rate-limit";
import { createToken } from "./tokens";

// The API as a caller sees it: real route handling over a real database, every JSON answer checked
// against the OpenAPI document the API serves (ajv, draft 2020-12).

const db = useFreshDatabase();
let exports: ExportPool;
let boss: PgBoss;
let doc: { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
const tokens: Record<string, string> = {};
const users: Record<string, string> = {};
const CLI = { actorEmail: "cli" };
const IP = "203.0.113.9";

const ctx = (rate?: RateLimit): ApiRequestContext => ({
  db: db.prisma,
  exports,
  scans: async () => boss,
  ...(rate ? { rate } : {}),
});

async function call(
  method: string,
  path: string,
  token: string | null,
  opts: { body?: unknown; rate?: RateLimit; contentType?: string } = {},
) {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (opts.body !== undefined) headers["content-type"] = opts.contentType ?? "application/json";
  const request = new Request(`http://localhost/api/v1${path}`, {
    method,
    headers,
    ...(opts.body !== undefined
      ? { body: typeof opts.body === "string" ? opts.body : JSON.stringify(opts.body) }
      : {}),
  });
  return handleApiRequest(ctx(opts.rate), request, IP);
}

/** The answer's body, checked against the document's schema for this operation and status. */
async function checked(res: Response, method: string, docPath: string): Promise<Record<string, unknown>> {
  const body = (await res.json()) as Record<string, unknown>;
  const status = String(res.status);
  expect(
    doc.paths[docPath]?.[method.toLowerCase()]?.responses[status],
    `${method} ${docPath} ${status} documented`,
  ).toBeDefined();
  const type = res.headers.get("content-type")!.split(";")[0]!;
  const pointer = `api#/paths/${docPath.replaceAll("/", "~1")}/${method.toLowerCase()}/responses/${status}/content/${type.replace("/", "~1")}/schema`;
  const validate = ajv.getSchema(pointer);
  expect(validate, pointer).toBeDefined();
  const valid = validate!(body);
  expect(validate!.errors ?? [], JSON.stringify(body).slice(0, 300)).toEqual([]);
  expect(valid).toBe(true);
  return body;
}

async function expectProblem(res: Response, status: number, detail?: RegExp) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  const body = (await res.json()) as { status: number; title: string; detail: string };
  expect(body.status).toBe(status);
  expect(body.detail.length).toBeGreaterThan(10);
  if (detail) expect(body.detail).toMatch(detail);
  return body;
}

beforeAll(async () => {
  await seedInsightRows(db.prisma);
  exports = createExportPool(db.url);
  boss = await startBoss(db.url, { supervise: false });
  for (const [name, role] of [
    ["admin", "admin"],
    ["analyst", "analyst"],
    ["viewer", "viewer"],
    ["scoped", "viewer"],
  ] as const) {
    const user = await createUser(db.prisma, {
      email: `${name}@example.com`,
      password: "a long password 123",
      role,
    });
    users[name] = user.id;
    tokens[name] = (await createToken(db.prisma, { userId: user.id, name: `${name} script` }, CLI)).secret;
  }
  await setAccountScope(db.prisma, users.scoped!, [ACCOUNTS[0].id], CLI);
  const served = await call("GET", "/openapi.json", null);
  expect(served.status).toBe(200);
  doc = (await served.json()) as typeof doc;
  ajv.addSchema(doc, "api");
}, 60_000);

afterAll(async () => {
  await boss?.stop({ graceful: false, wait: true });
  await exports?.end();
});

describe("the OpenAPI document", () => {
  it("is OpenAPI 3.1 and lists every endpoint with its schemas", () => {
    expect(doc).toMatchObject({ openapi: "3.1.0", servers: [{ url: "/api/v1" }] });
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        "/accounts",
        "/compliance",
        "/exceptions",
        "/findings",
        "/findings/export",
        "/fixes",
        "/keys/{id}",
        "/scans",
      ].sort(),
    );
    const findings = doc.paths["/findings"]!.get as unknown as { parameters: { name: string }[] };
    expect(findings.parameters.map((p) => p.name)).toEqual(
      expect.arrayContaining([
        "account",
        "severity",
        "region",
        "tag",
        "tagValue",
        "q",
        "status",
        "sort",
        "limit",
        "cursor",
      ]),
    );
  });
});

describe("findings", () => {
  it("pages through exactly the table's rows with the cursor, in the table's order", async () => {
    const query = "severity=CRITICAL&severity=WARNING&sort=-keyId&limit=25";
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await call(
        "GET",
        `/findings?${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
        tokens.viewer!,
      );
      expect(res.status).toBe(200);
      const body = await checked(res, "GET", "/findings");
      seen.push(...(body.items as { arn: string }[]).map((f) => f.arn));
      cursor = body.nextCursor as string | null;
      expect(body.total).toBe(30);
      pages++;
    } while (cursor && pages < 10);
    const table = await fetchInsightPage(
      db.prisma,
      {
        ...EMPTY_FILTERS,
        severities: ["CRITICAL", "WARNING"],
        sort: { column: "keyId", desc: true },
        pageSize: 200,
      },
      null,
    );
    expect(pages).toBe(2);
    expect(seen).toEqual(table.rows.map((r) => r.arn));
  });

  it("a scoped user's token sees only its accounts", async () => {
    const body = await checked(await call("GET", "/findings?limit=200", tokens.scoped!), "GET", "/findings");
    const accounts = new Set((body.items as { accountId: string }[]).map((f) => f.accountId));
    expect([...accounts]).toEqual([ACCOUNTS[0].id]);
    const all = await checked(await call("GET", "/accounts", tokens.scoped!), "GET", "/accounts");
    expect((all.items as { id: string }[]).map((a) => a.id)).toEqual([ACCOUNTS[0].id]);
    const other = await db.prisma.kmsKey.findFirstOrThrow({ where: { accountId: ACCOUNTS[1].id } });
    await expectProblem(await call("GET", `/keys/${other.id}`, tokens.scoped!), 404);
    const own = await db.prisma.kmsKey.findFirstOrThrow({ where: { accountId: ACCOUNTS[0].id } });
    const key = await checked(await call("GET", `/keys/${own.id}`, tokens.scoped!), "GET", "/keys/{id}");
    expect(key.finding).toMatchObject({ arn: own.arn, accountId: ACCOUNTS[0].id });
  });

  it.each([
    ["an unknown parameter", "severty=CRITICAL", /Unknown parameter "severty"/],
    ["a bad severity", "severity=SEVERE", /severity/],
    ["a page size the table has not", "limit=7", /limit/],
    ["a parameter given twice", "limit=25&limit=50", /once/],
    ["a value that needs another", "tagValue=prod", /tag/],
    ["a cursor that is not one", "cursor=abc", /cursor/],
    ["a page number (the API pages by cursor)", "page=2", /Unknown parameter "page"/],
    ["the name of one of Object's own properties", "constructor=1", /Unknown parameter "constructor"/],
    ["__proto__", "__proto__=x", /Unknown parameter "__proto__"/],
  ])("%s is a 400 problem naming it", async (_, query, detail) => {
    const res = await call("GET", `/findings?${query}`, tokens.viewer!);
    const body = await expectProblem(res, 400, detail);
    expect(body).toMatchObject({ errors: expect.any(Array) });
  });

  it("a cursor used with other filters is refused", async () => {
    const first = await checked(await call("GET", "/findings?limit=25", tokens.viewer!), "GET", "/findings");
    const res = await call(
      "GET",
      `/findings?limit=25&severity=OK&cursor=${first.nextCursor as string}`,
      tokens.viewer!,
    );
    await expectProblem(res, 400, /other filters/);
  });

  it("a cursor used with another sort is refused; one used with another limit keeps its place", async () => {
    const query = "severity=CRITICAL&severity=WARNING&sort=nextRotation";
    const first = await checked(
      await call("GET", `/findings?${query}&limit=25`, tokens.viewer!),
      "GET",
      "/findings",
    );
    const cursor = encodeURIComponent(first.nextCursor as string);
    await expectProblem(
      await call(
        "GET",
        `/findings?severity=CRITICAL&severity=WARNING&sort=-nextRotation&cursor=${cursor}`,
        tokens.viewer!,
      ),
      400,
      /another sort/,
    );
    const rest = await checked(
      await call("GET", `/findings?${query}&limit=50&cursor=${cursor}`, tokens.viewer!),
      "GET",
      "/findings",
    );
    expect(rest.nextCursor).toBeNull();
    const table = await fetchInsightPage(
      db.prisma,
      {
        ...EMPTY_FILTERS,
        severities: ["CRITICAL", "WARNING"],
        sort: { column: "nextRotation", desc: false },
        pageSize: 200,
      },
      null,
    );
    const arns = (page: Record<string, unknown>) => (page.items as { arn: string }[]).map((f) => f.arn);
    expect([...arns(first), ...arns(rest)]).toEqual(table.rows.map((r) => r.arn));
  });

  it("a cursor changed by hand is a 400 problem naming it, never a 500", async () => {
    const query = "sort=due&limit=25";
    const first = await checked(await call("GET", `/findings?${query}`, tokens.viewer!), "GET", "/findings");
    const real = JSON.parse(Buffer.from(first.nextCursor as string, "base64url").toString()) as Record<
      string,
      unknown
    >;
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const tampered = [
      "%%%",
      Buffer.from("not json").toString("base64url"),
      encode(null),
      encode([1, 2]),
      encode({ ...real, k: ["2026-02-30T00:00:00.000Z"] }),
      encode({ ...real, k: ["yesterday"] }),
      encode({ ...real, k: [42] }),
      encode({ ...real, k: [] }),
      encode({ ...real, id: "a\u0000b" }),
      encode({ ...real, id: 7 }),
      encode({ ...real, v: "other" }),
    ];
    // Any JSON as the sort values, but a real one: a single null or text (which could be a date).
    const notAKey = fc
      .jsonValue()
      .filter((v) => !(Array.isArray(v) && v.length === 1 && (v[0] === null || typeof v[0] === "string")));
    const random = fc.sample(fc.record({ v: fc.constant(real.v), k: notAKey, id: fc.jsonValue() }), 40);
    for (const cursor of [...tampered, ...random.map(encode)]) {
      const res = await call(
        "GET",
        `/findings?${query}&cursor=${encodeURIComponent(cursor)}`,
        tokens.viewer!,
      );
      const body = await expectProblem(res, 400, /cursor|query/);
      expect(body, cursor).toMatchObject({ errors: expect.any(Array) });
    }
  });

  it("no query string gives a 500: each answer is a documented 200 or a 400 problem", async () => {
    const names = [
      "account",
      "severity",
      "region",
      "tag",
      "tagValue",
      "q",
      "status",
      "change",
      "since",
      "overdue",
      "sort",
      "limit",
      "cursor",
      "x",
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom(...names), fc.string({ maxLength: 20 })), { maxLength: 4 }),
        async (pairs) => {
          const res = await call("GET", `/findings?${new URLSearchParams(pairs)}`, tokens.admin!);
          expect([200, 400]).toContain(res.status);
          if (res.status === 200) await checked(res, "GET", "/findings");
          else expect(res.headers.get("content-type")).toBe("application/problem+json");
        },
      ),
      { numRuns: 60 },
    );
  });

  it("exports exactly the filtered rows, streamed, in the format asked for", async () => {
    const res = await call("GET", "/findings/export?format=jsonl&severity=CRITICAL", tokens.scoped!);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/x-ndjson; charset=utf-8");
    const lines = (await res.text())
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { arn: string; accountId: string });
    const view = await fetchInsightPage(
      db.prisma,
      { ...EMPTY_FILTERS, severities: ["CRITICAL"], pageSize: 200 },
      [ACCOUNTS[0].id],
    );
    expect(lines.map((l) => l.arn)).toEqual(view.rows.map((r) => r.arn));
    await expectProblem(await call("GET", "/findings/export?format=xml", tokens.viewer!), 400, /format/);
  });

  it("a download past the user's open exports is a 429 problem with Retry-After", async () => {
    const open = [
      await call("GET", "/findings/export?format=csv", tokens.analyst!),
      await call("GET", "/findings/export?format=csv", tokens.analyst!),
    ];
    expect(open.map((r) => r.status)).toEqual([200, 200]);
    const third = await call("GET", "/findings/export?format=csv", tokens.analyst!);
    await expectProblem(third, 429);
    expect(Number(third.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    for (const res of open) await res.body?.cancel();
  });
});

describe("the other reads", () => {
  it("accounts never carry a secret", async () => {
    await db.prisma.awsAccount.update({
      where: { id: ACCOUNTS[1].id },
      data: { externalIdCipher: "v1:SECRET-CIPHER", remediationExternalIdCipher: "v1:SECRET-REMEDIATION" },
    });
    const res = await call("GET", "/accounts", tokens.admin!);
    const text = JSON.stringify(await checked(res, "GET", "/accounts"));
    expect(text).toContain(ACCOUNTS[1].id);
    expect(text).not.toMatch(/SECRET|externalId|cipher/i);
  });

  it.each([["/scans"], ["/accounts"], ["/exceptions"], ["/fixes"], ["/compliance"]])(
    "%s answers as documented",
    async (path) => {
      const res = await call("GET", path, tokens.viewer!);
      expect(res.status).toBe(200);
      await checked(res, "GET", path);
    },
  );

  it("an unknown endpoint and a wrong method are problems", async () => {
    await expectProblem(await call("GET", "/nothing", tokens.viewer!), 404, /openapi\.json/);
    await expectProblem(await call("DELETE", "/findings", tokens.viewer!), 405);
  });
});

describe("tokens", () => {
  it("refuses a request without a token, with an unknown one, or a malformed header", async () => {
    for (const token of [null, "kmsi_not-a-real-token", "something-else"]) {
      const res = await call("GET", "/findings", token);
      await expectProblem(res, 401);
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
    }
  });

  it("refuses an expired, a revoked token, a disabled user's and one whose user lost the role", async () => {
    const userId = (
      await createUser(db.prisma, {
        email: "temp@example.com",
        password: "a long password 123",
        role: "analyst",
      })
    ).id;
    const make = async (name: string, now?: Date) =>
      (await createToken(db.prisma, { userId, name }, CLI, now)).secret;
    const expired = await make("old", new Date(Date.now() - 100 * 86_400_000));
    await expectProblem(await call("GET", "/findings", expired), 401, /expired/);

    const revoked = await make("gone");
    expect((await call("GET", "/findings", revoked)).status).toBe(200);
    const row = await db.prisma.apiToken.findFirstOrThrow({ where: { name: "gone" } });
    await db.prisma.apiToken.update({ where: { id: row.id }, data: { revokedAt: new Date() } });
    await expectProblem(await call("GET", "/findings", revoked), 401, /revoked/);

    const live = await make("live");
    await db.prisma.user.update({ where: { id: userId }, data: { role: "VIEWER" } });
    await expectProblem(await call("GET", "/findings", live), 401, /no longer analyst/);
    await db.prisma.user.update({ where: { id: userId }, data: { role: "ANALYST", disabled: true } });
    await expectProblem(await call("GET", "/findings", live), 401, /disabled/);
  });

  it("records when and from where a token was last used", async () => {
    await call("GET", "/accounts", tokens.analyst!);
    const row = await db.prisma.apiToken.findFirstOrThrow({ where: { name: "analyst script" } });
    expect(row.lastUsedIp).toBe(IP);
    expect(Date.now() - row.lastUsedAt!.getTime()).toBeLessThan(60_000);
  });

  it("limits each token's rate: a 429 with Retry-After, other tokens unaffected", async () => {
    const userId = users.viewer!;
    const { secret } = await createToken(db.prisma, { userId, name: "busy" }, CLI);
    const rate = { limit: 3, windowMs: 60_000 };
    for (let i = 0; i < 3; i++) expect((await call("GET", "/accounts", secret, { rate })).status).toBe(200);
    const res = await call("GET", "/accounts", secret, { rate });
    await expectProblem(res, 429, /wait/);
    const retry = Number(res.headers.get("retry-after"));
    expect(retry).toBeGreaterThanOrEqual(1);
    expect(retry).toBeLessThanOrEqual(60);
    const other = await createToken(db.prisma, { userId, name: "calm" }, CLI);
    expect((await call("GET", "/accounts", other.secret, { rate })).status).toBe(200);
  });
});

describe("writes", () => {
  const exception = () => ({
    kind: "accepted-risk",
    justification: "Test keys, retired with the project next quarter.",
    ownerEmail: "analyst@example.com",
    expires: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10),
    ticketUrl: null,
    scope: {
      keyArns: [],
      accounts: [ACCOUNTS[0].id],
      regions: [],
      tagKey: null,
      tagValues: [],
      aliasPrefix: null,
    },
  });

  it("starting a scan: admins only, audited with the token's name", async () => {
    for (const who of ["viewer", "analyst", "scoped"])
      await expectProblem(await call("POST", "/scans", tokens[who]!, { body: {} }), 403, /Only admins/);
    const res = await call("POST", "/scans", tokens.admin!, { body: {} });
    expect(res.status).toBe(202);
    const body = await checked(res, "POST", "/scans");
    const entry = await db.prisma.auditLog.findFirstOrThrow({
      where: { action: "scan.start", target: body.scanId as string },
    });
    expect(entry).toMatchObject({
      actorEmail: "admin@example.com",
      ip: IP,
      details: expect.objectContaining({ apiToken: "admin script" }),
    });
  });

  it("creating an exception: analysts and admins, in their accounts, audited with the token's name", async () => {
    for (const who of ["viewer", "scoped"])
      await expectProblem(
        await call("POST", "/exceptions", tokens[who]!, { body: exception() }),
        403,
        /admins and analysts/,
      );
    const res = await call("POST", "/exceptions", tokens.analyst!, { body: exception() });
    expect(res.status).toBe(201);
    const body = await checked(res, "POST", "/exceptions");
    const entry = await db.prisma.auditLog.findFirstOrThrow({
      where: { action: "exception.create", target: body.id as string },
    });
    expect(entry).toMatchObject({
      actorEmail: "analyst@example.com",
      details: expect.objectContaining({ apiToken: "analyst script" }),
    });
  });

  it("a bad body is a 400 or 422 problem naming the field, and changes nothing", async () => {
    const before = await db.prisma.findingException.count();
    await expectProblem(
      await call("POST", "/exceptions", tokens.analyst!, { body: "{not json" }),
      400,
      /not JSON/,
    );
    await expectProblem(
      await call("POST", "/exceptions", tokens.analyst!, { body: { ...exception(), kind: "maybe" } }),
      400,
      /kind/,
    );
    await expectProblem(
      await call("POST", "/exceptions", tokens.analyst!, { body: { ...exception(), expires: "2099-01-01" } }),
      422,
      /year|365|days/,
    );
    await expectProblem(
      await call("POST", "/exceptions", tokens.analyst!, { body: exception(), contentType: "text/plain" }),
      415,
    );
    await expectProblem(
      await call("POST", "/scans", tokens.admin!, { body: { accountIds: ["12"] } }),
      400,
      /accountIds/,
    );
    // A NUL character, which PostgreSQL cannot store, in any text field: a 400 naming the field.
    for (const [field, body] of [
      ["ownerEmail", { ...exception(), ownerEmail: "analyst\u0000@example.com" }],
      ["ticketUrl", { ...exception(), ticketUrl: "https://tickets.example.com/\u0000" }],
      ["justification", { ...exception(), justification: "Test keys, retired next quarter.\u0000" }],
    ] as const)
      await expectProblem(
        await call("POST", "/exceptions", tokens.analyst!, { body }),
        400,
        new RegExp(`${field}: contains a NUL character`),
      );
    expect(await db.prisma.findingException.count()).toBe(before);
  });
});
