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

const schema = z.object({
  DATABASE_URL: z.string().url().optional(),
  DATABASE_OWNER_URL: z.string().url().optional(),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOSTNAME: z.string().default("0.0.0.0"),
  INSIGHTS_TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  INSIGHTS_DATA_DIR: z.string().default(".data"),
  INSIGHTS_PG_PORT: z.coerce.number().int().min(1).max(65535).default(5433),
  NEXTAUTH_URL: z.string().url().optional(),
  NEXTAUTH_SECRET: z.string().min(32, "NEXTAUTH_SECRET must be at least 32 characters").optional(),
  ADMIN_EMAIL: z.string().email().optional(),
  ADMIN_PASSWORD: z.string().min(12, "ADMIN_PASSWORD must be at least 12 characters").optional(),
  INSIGHTS_WORKER: boolish.default(true),
  INSIGHTS_DEMO: z.enum(["auto", "on", "off"]).default("auto"),
  INSIGHTS_SANDBOX_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  INSIGHTS_EXPORT_CONNECTIONS: z.coerce.number().int().min(1).max(100).default(4),
  INSIGHTS_EXPORTS_PER_USER: z.coerce.number().int().min(1).max(100).default(2),
  LOG_LEVEL: logLevel,
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

/** This process's environment, to hand on whole to a child process (the web server, a worker). */
export function processEnvironment(): NodeJS.ProcessEnv {
  return { ...process.env };
}

/**
 * The log level alone, never throwing: the logger is made before anything can report a bad
 * configuration, and an unknown level falls back to `info` (the full parse then names the error).
 */
export function logLevelFromEnv(): z.infer<typeof logLevel> {
  const parsed = logLevel.safeParse(process.env.LOG_LEVEL || undefined);
  return parsed.success ? parsed.data : "info";
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
