import path from "node:path";
import { z } from "zod";

// Every environment variable the console reads, parsed once. The README's configuration table
// lists the same names; keep them in step.
const boolish = z
  .enum(["1", "0", "true", "false", "yes", "no", "on", "off"])
  .transform((v) => ["1", "true", "yes", "on"].includes(v));

const schema = z.object({
  DATABASE_URL: z.string().url().optional(),
  DATABASE_OWNER_URL: z.string().url().optional(),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOSTNAME: z.string().default("0.0.0.0"),
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
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export type Env = z.infer<typeof schema>;

export class ConfigError extends Error {}

export function parseEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${lines.join("\n  ")}`);
  }
  return result.data;
}

export function dataDir(env: Pick<Env, "INSIGHTS_DATA_DIR">): string {
  return path.resolve(env.INSIGHTS_DATA_DIR);
}
