import { isUnstorableText, UNSTORABLE_TEXT_MESSAGE } from "@/lib/db/errors";
import { logger } from "@/lib/log";
import { buildOpenApiDocument } from "./openapi";
import { ENDPOINTS, type ApiDeps, type Endpoint } from "./endpoints";
import { problem } from "./problem";
import { DEFAULT_RATE_LIMIT, takeRequest, type RateLimit } from "./rate-limit";
import { describeErrors, parseBody, parseQuery } from "./request";
import { authenticateToken } from "./tokens";

// One request to /api/v1: find the endpoint, check the token (401), its rate (429) and its
// user's role (403), read the query and the body with the endpoint's schemas (400), and run it.
// A value PostgreSQL cannot store is a 400; whatever else fails unexpectedly is a 500 with a sentence
// and no trace (logged on the server).

export const API_BASE = "/api/v1";
const MAX_BODY_BYTES = 256 * 1024;
const ROLE_WORDS = { ADMIN: "admins", ANALYST: "analysts", VIEWER: "viewers" } as const;

export interface ApiRequestContext extends ApiDeps {
  rate?: RateLimit;
  now?: () => Date;
}

function match(
  path: string,
  method: string,
): { endpoint: Endpoint; params: Record<string, string> } | "method" | null {
  let pathMatched = false;
  for (const endpoint of ENDPOINTS) {
    const names: string[] = [];
    const pattern = new RegExp(
      "^" + endpoint.path.replace(/\{(\w+)\}/g, (_, name: string) => (names.push(name), "([^/]+)")) + "$",
    );
    const m = pattern.exec(path);
    if (!m) continue;
    pathMatched = true;
    if (endpoint.method !== method) continue;
    let params: Record<string, string>;
    try {
      params = Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)]));
    } catch {
      return null;
    }
    return { endpoint, params };
  }
  return pathMatched ? "method" : null;
}

export async function handleApiRequest(
  ctx: ApiRequestContext,
  request: Request,
  ip: string | null,
): Promise<Response> {
  try {
    return await handle(ctx, request, ip);
  } catch (err) {
    // Input PostgreSQL cannot store (a NUL character) is the caller's to fix, as in the console.
    if (isUnstorableText(err)) return problem(400, UNSTORABLE_TEXT_MESSAGE);
    logger.error({ err: err instanceof Error ? err.message : String(err) }, "api request failed");
    return problem(
      500,
      "The request could not be completed; nothing was changed. Try again, or see the server's log.",
    );
  }
}

async function handle(ctx: ApiRequestContext, request: Request, ip: string | null): Promise<Response> {
  const url = new URL(request.url);
  const path = url.pathname.startsWith(API_BASE) ? url.pathname.slice(API_BASE.length) || "/" : url.pathname;
  if (path === "/openapi.json" && request.method === "GET")
    return Response.json(buildOpenApiDocument(), { headers: { "Cache-Control": "no-store" } });
  const found = match(path.replace(/\/+$/, "") || "/", request.method);
  if (found === null)
    return problem(404, `No endpoint ${path}: the endpoints are listed in ${API_BASE}/openapi.json.`);
  if (found === "method") return problem(405, `${request.method} is not allowed on ${path}.`);
  const { endpoint, params: pathParams } = found;

  const header = request.headers.get("authorization") ?? "";
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
  const unauthorized = (detail: string) =>
    problem(401, detail, { headers: { "WWW-Authenticate": 'Bearer realm="kms-insights"' } });
  if (!bearer)
    return unauthorized(
      "Send an API token as `Authorization: Bearer kmsi_…`; create one on the console's API tokens page.",
    );
  const now = ctx.now?.() ?? new Date();
  const auth = await authenticateToken(ctx.db, bearer, ip, now);
  if (!auth.ok) return unauthorized(auth.message);
  const user = auth.user;

  const rate = await takeRequest(ctx.db, user.tokenId, ctx.rate ?? DEFAULT_RATE_LIMIT, now);
  if (!rate.ok)
    return problem(429, `Too many requests with this token: wait ${rate.retryAfterSeconds} s.`, {
      headers: { "Retry-After": String(rate.retryAfterSeconds) },
    });

  if (endpoint.roles && !endpoint.roles.includes(user.role))
    return problem(
      403,
      `Only ${endpoint.roles.map((r) => ROLE_WORDS[r]).join(" and ")} may do this; the token's user is ${ROLE_WORDS[user.role].slice(0, -1)}.`,
    );

  const params = url.searchParams;
  if (endpoint.query) {
    const q = parseQuery(endpoint.query, params);
    if (!q.ok) return problem(400, describeErrors(q.errors), { errors: q.errors });
  } else if ([...params.keys()].length) {
    return problem(400, "This endpoint takes no query parameters.");
  }

  let body: unknown = undefined;
  if (endpoint.body) {
    const read = await readJson(request);
    if ("problem" in read) return read.problem;
    const parsed = parseBody(endpoint.body, read.value);
    if (!parsed.ok) return problem(400, describeErrors(parsed.errors), { errors: parsed.errors });
    body = read.value;
  }

  const answer = await endpoint.run({ deps: ctx, user, params, path: pathParams, body, ip });
  if (answer instanceof Response) return answer;
  return Response.json(answer.body, { status: answer.status, headers: { "Cache-Control": "no-store" } });
}

async function readJson(request: Request): Promise<{ value: unknown } | { problem: Response }> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/json\b/i.test(type))
    return { problem: problem(415, "Send the body as JSON, with `Content-Type: application/json`.") };
  if (Number(request.headers.get("content-length") ?? 0) > MAX_BODY_BYTES)
    return { problem: problem(413, `The body is over ${MAX_BODY_BYTES / 1024} KiB.`) };
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES)
    return { problem: problem(413, `The body is over ${MAX_BODY_BYTES / 1024} KiB.`) };
  if (!text.trim()) return { value: {} };
  try {
    return { value: JSON.parse(text) };
  } catch (err) {
    return {
      problem: problem(400, `The body is not JSON: ${err instanceof Error ? err.message : "syntax error"}.`),
    };
  }
}
