import "server-only";
import type PgBoss from "pg-boss";
import { parseEnv } from "@/lib/config/env";
import { startBoss } from "./queue";

// The web server only sends jobs (Scan now); workers run them. One sender per server process.
const globalForBoss = globalThis as unknown as { scanSender?: Promise<PgBoss> };

export function scanSender(): Promise<PgBoss> {
  const url = parseEnv().DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: start the console with `npm start`.");
  globalForBoss.scanSender ??= startBoss(url, { supervise: false }).catch((err) => {
    globalForBoss.scanSender = undefined;
    throw err;
  });
  return globalForBoss.scanSender;
}
