import { z } from "zod";
import { ENDPOINTS, type Endpoint } from "./endpoints";
import { problemSchema } from "./schemas";
import { DEFAULT_TOKEN_DAYS, MAX_TOKEN_DAYS, TOKEN_PREFIX } from "./tokens";

// The OpenAPI 3.1 document of /api/v1, generated from the endpoints' zod schemas with zod's own
// JSON Schema output (draft 2020-12, which OpenAPI 3.1 uses): nothing in it is written by hand
// but the prose. Schemas with an id (`.meta({ id })`) become components.

type Json = Record<string, unknown>;
const REF = "#/components/schemas/";

function jsonSchema(schema: z.ZodType, io: "input" | "output", components: Json): Json {
  const out = z.toJSONSchema(schema, { target: "draft-2020-12", io, unrepresentable: "any" }) as Json;
  const { $schema: _, $defs, ...rest } = out;
  for (const [id, def] of Object.entries(($defs ?? {}) as Json)) components[id] = relink(def);
  return relink(rest) as Json;
}

/** Zod names its shared schemas `#/$defs/X`; in the document they live under components. */
const relink = (value: unknown): unknown =>
  JSON.parse(JSON.stringify(value).replaceAll('"#/$defs/', `"${REF}`));

const problemRef = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: { $ref: `${REF}Problem` } } },
});

function operation(endpoint: Endpoint, components: Json): Json {
  const parameters: Json[] = [];
  for (const name of endpoint.path.match(/\{(\w+)\}/g) ?? []) {
    parameters.push({ name: name.slice(1, -1), in: "path", required: true, schema: { type: "string" } });
  }
  for (const [name, field] of Object.entries(endpoint.query?.shape ?? {})) {
    const { description, ...schema } = jsonSchema(field as z.ZodType, "input", components);
    const isArray = schema.type === "array";
    parameters.push({
      name,
      in: "query",
      required: !(field as z.ZodType).safeParse(undefined).success,
      ...(description ? { description } : {}),
      schema,
      ...(isArray ? { style: "form", explode: true } : {}),
    });
  }
  const status = String(endpoint.status ?? 200);
  const content = endpoint.download
    ? Object.fromEntries(endpoint.download.map((type) => [type, { schema: { type: "string" } }]))
    : { "application/json": { schema: jsonSchema(endpoint.response!, "output", components) } };
  const responses: Json = {
    [status]: { description: endpoint.summary, content },
    "400": problemRef("A parameter or the body is not usable: `errors` names each."),
    "401": problemRef(
      "No token, or one that is unknown, expired, revoked, or whose user is disabled or lost the role.",
    ),
    ...(endpoint.roles ? { "403": problemRef("The token's user's role may not do this.") } : {}),
    ...(endpoint.path.includes("{") ? { "404": problemRef("Not found in your accounts.") } : {}),
    ...(endpoint.method === "POST"
      ? { "422": problemRef("Refused by the console's rules (the detail says why).") }
      : {}),
    "429": {
      ...problemRef("Too many requests with this token."),
      headers: { "Retry-After": { description: "Seconds to wait.", schema: { type: "integer" } } },
    },
  };
  return {
    operationId: `${endpoint.method.toLowerCase()}${endpoint.path.replace(/\{(\w+)\}/g, "By-$1").replace(/[/-](\w)/g, (_, c: string) => c.toUpperCase())}`,
    summary: endpoint.summary,
    ...(endpoint.description ? { description: endpoint.description } : {}),
    ...(parameters.length ? { parameters } : {}),
    ...(endpoint.body
      ? {
          requestBody: {
            required: true,
            content: { "application/json": { schema: jsonSchema(endpoint.body, "input", components) } },
          },
        }
      : {}),
    responses,
  };
}

let cached: Json | null = null;

export function buildOpenApiDocument(): Json {
  if (cached) return cached;
  const components: Json = {};
  jsonSchema(problemSchema, "output", components);
  const paths: Record<string, Json> = {};
  for (const endpoint of ENDPOINTS) {
    (paths[endpoint.path] ??= {})[endpoint.method.toLowerCase()] = operation(endpoint, components);
  }
  cached = {
    openapi: "3.1.0",
    info: {
      title: "KMS Insights API",
      version: "1",
      description: `Findings, keys, scans, accounts, exceptions, fixes and compliance of this console. Authenticate with a personal API token (\`Authorization: Bearer ${TOKEN_PREFIX}…\`, made on the API tokens page; ${DEFAULT_TOKEN_DAYS} days by default, at most ${MAX_TOKEN_DAYS}). A token does what its user may, in the user's accounts. Errors are application/problem+json.`,
    },
    servers: [{ url: "/api/v1" }],
    security: [{ bearerToken: [] }],
    paths,
    components: {
      schemas: Object.fromEntries(Object.entries(components).sort(([a], [b]) => a.localeCompare(b))),
      securitySchemes: {
        bearerToken: {
          type: "http",
          scheme: "bearer",
          description: `A personal API token, ${TOKEN_PREFIX}…`,
        },
      },
    },
  };
  return cached;
}
