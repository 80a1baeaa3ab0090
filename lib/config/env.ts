import path from "node:path";
import { z } from "zod";

// Every environment variable the console reads, parsed once. The README's configuration table
// lists the same names; keep them in step.
const boolish = z
  .enum(["1", "0", "true", "false", "yes", "no", "on", "off"])
  .transform((v) => ["1", "true", "yes", "on"].includes(v));

// Where the console may send signed AWS requests (lib/kms/endpoints.ts): the endpoints the SDK reads
// from the environment and the hosts the operator lists (and the demo sandbox, lib/config/demo-sandbox.ts).
const endpointUrl = z.url({ protocol: /^https?$/ }).optional();
const allowedHost = z
  .string()
  .regex(
    /^(\*\.)?([a-z0-9-]+(\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(:\d{1,5})?$/i,
    "a host name, IP address or *.domain, with an optional :port",
  );

function endpointShape() {
  return {
    AWS_ENDPOINT_URL: endpointUrl,
    AWS_ENDPOINT_URL_KMS: endpointUrl,
    AWS_ENDPOINT_URL_STS: endpointUrl,
    AWS_ENDPOINT_URL_CLOUDTRAIL: endpointUrl,
    AWS_ENDPOINT_URL_ORGANIZATIONS: endpointUrl,
    AWS_ENDPOINT_URL_ACCOUNT: endpointUrl,
    INSIGHTS_ALLOWED_ENDPOINT_HOSTS: z
      .string()
      .transform((v) =>
        v
          .split(",")
          .map((h) => h.trim().toLowerCase())
          .filter(Boolean),
      )
      .pipe(z.array(allowedHost))
      .default([]),
  };
}

const logLevel = z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info");
const logFormat = z
  .enum(["auto", "pretty", "json"], "LOG_FORMAT must be auto, pretty or json")
  .default("auto");

/** A URL of one of the given schemes: a typo in a scheme is said at start, not at first use. */
const urlOf = (schemes: string[], what: string) =>
  z
    .string()
    .url()
    .refine((v) => !URL.canParse(v) || schemes.includes(new URL(v).protocol.slice(0, -1)), {
      message: `must be ${what} (${schemes.map((s) => `${s}://…`).join(" or ")})`,
    });
const postgresUrl = urlOf(["postgres", "postgresql"], "a PostgreSQL URL");

const schema = z.object({
  DATABASE_URL: postgresUrl.optional(),
  DATABASE_OWNER_URL: postgresUrl.optional(),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOSTNAME: z.string().default("0.0.0.0"),
  INSIGHTS_TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  INSIGHTS_DATA_DIR: z.string().default(".data"),
  INSIGHTS_PG_PORT: z.coerce.number().int().min(1).max(65535).default(5433),
  NEXTAUTH_URL: urlOf(["http", "https"], "the console's address").optional(),
  NEXTAUTH_SECRET: z.string().min(32, "NEXTAUTH_SECRET must be at least 32 characters").optional(),
  ADMIN_EMAIL: z.string().email().optional(),
  ADMIN_PASSWORD: z.string().min(12, "ADMIN_PASSWORD must be at least 12 characters").optional(),
  INSIGHTS_WORKER: boolish.default(true),
  INSIGHTS_DEMO: z.enum(["auto", "on", "off"]).default("auto"),
  INSIGHTS_SANDBOX_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  INSIGHTS_EXPORT_CONNECTIONS: z.coerce.number().int().min(1).max(100).default(4),
  INSIGHTS_EXPORTS_PER_USER: z.coerce.number().int().min(1).max(100).default(2),
  LOG_LEVEL: logLevel,
  LOG_FORMAT: logFormat,
  INSIGHTS_ENCRYPTION_KEY: z.string().optional(),
  INSIGHTS_KMS_KEY_ID: z.string().optional(),
  INSIGHTS_KMS_PAGE_SIZE: z.coerce.number().int().min(1).max(1000).optional(),
  // The SDK reads these two itself as well; the console passes them on explicitly because it sets
  // its own default retry mode.
  AWS_RETRY_MODE: z.enum(["standard", "adaptive", "legacy"]).default("adaptive"),
  AWS_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(10),
  ...endpointShape(),
});

export type Env = z.infer<typeof schema>;

export class ConfigError extends Error {}

function parseWith<T extends z.ZodType>(s: T, source: Record<string, string | undefined>): z.output<T> {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const result = s.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${lines.join("\n  ")}`);
  }
  return result.data;
}

export function parseEnv(source: NodeJS.ProcessEnv = process.env): Env {
  return parseWith(schema, source);
}

/**
 * A few variables alone, parsed again only when one of them changes: for what is read per AWS
 * client or per scan job (thousands of times in a scan), not the whole environment each time.
 */
function cachedSubset<K extends keyof Env>(...keys: K[]) {
  const mask = Object.fromEntries(keys.map((k) => [k, true])) as Record<keyof Env, true>;
  const subset = schema.pick(mask) as unknown as z.ZodType<Pick<Env, K>>;
  let last: { key: string; value: Pick<Env, K> } | undefined;
  return (source: NodeJS.ProcessEnv = process.env): Pick<Env, K> => {
    const key = keys.map((k) => source[k]).join("\n");
    if (last?.key !== key)
      last = { key, value: parseWith(subset, Object.fromEntries(keys.map((k) => [k, source[k]]))) };
    return last.value;
  };
}

/** AWS_RETRY_MODE and AWS_MAX_ATTEMPTS, for every AWS client the process builds. */
export const awsRetrySettings = cachedSubset("AWS_RETRY_MODE", "AWS_MAX_ATTEMPTS");

/** INSIGHTS_KMS_PAGE_SIZE, for every scan job. */
export const kmsPageSetting = cachedSubset("INSIGHTS_KMS_PAGE_SIZE");

/** This process's environment, to hand on whole to a child process (the web server, a worker). */
export function processEnvironment(): NodeJS.ProcessEnv {
  return { ...process.env };
}

export interface LogSettings {
  level: z.infer<typeof logLevel>;
  /** LOG_LEVEL was set: `npm start` then keeps it after its banner (lib/log). */
  levelGiven: boolean;
  format: z.infer<typeof logFormat>;
}

/**
 * The log settings alone, never throwing: the logger is made before anything can report a bad
 * configuration, and an unknown value falls back to its default (the full parse then names the error).
 */
export function logSettingsFromEnv(source: NodeJS.ProcessEnv = process.env): LogSettings {
  const level = logLevel.safeParse(source.LOG_LEVEL || undefined);
  const format = logFormat.safeParse(source.LOG_FORMAT || undefined);
  return {
    level: level.success ? level.data : "info",
    levelGiven: level.success && !!source.LOG_LEVEL,
    format: format.success ? format.data : "auto",
  };
}

/** The documented switch of the AWS SDK (v3) that turns off its notice about Node versions. */
const SDK_NODE_NOTICE_SWITCH = "AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED";
/** The Node major version the SDK's releases from January 2027 need (its own notice says so). */
const SDK_NEXT_NODE_MAJOR = 22;

/**
 * Turns off the AWS SDK's Node version notice in this process and the processes it starts (each
 * process, and each copy of the SDK in a bundle, would print its own). Returns the one line to say
 * instead, or null when the notice does not apply or the operator turned it off already.
 */
export function silenceSdkNodeNotice(nodeVersion: string = process.version): string | null {
  if (process.env[SDK_NODE_NOTICE_SWITCH] === "true") return null;
  process.env[SDK_NODE_NOTICE_SWITCH] = "true";
  const major = Number(/^v?(\d+)/.exec(nodeVersion)?.[1]);
  if (!(major < SDK_NEXT_NODE_MAJOR)) return null;
  return (
    `Note: AWS SDK releases from January 2027 need Node ${SDK_NEXT_NODE_MAJOR} or later (this is Node ${nodeVersion.replace(/^v/, "")}); ` +
    "this console's SDK version is pinned and works on it."
  );
}

const endpointSchema = z.object(endpointShape());
export type EndpointEnv = z.infer<typeof endpointSchema>;

/** The endpoint settings alone (lib/kms/endpoints.ts). */
export function parseEndpointEnv(source: Record<string, string | undefined> = process.env): EndpointEnv {
  return parseWith(endpointSchema, source);
}

export function dataDir(env: Pick<Env, "INSIGHTS_DATA_DIR">): string {
  return path.resolve(env.INSIGHTS_DATA_DIR);
}

/** The console's own origin (NEXTAUTH_URL, which `npm start` always sets), for same-origin checks. */
export function consoleOrigin(source: NodeJS.ProcessEnv = process.env): string {
  const env = parseEnv(source);
  return new URL(env.NEXTAUTH_URL ?? `http://localhost:${env.PORT}`).origin;
}
