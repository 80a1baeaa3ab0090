import pino from "pino";
import { logLevelFromEnv } from "@/lib/config/env";

// One structured logger for the server, the worker and the CLI (which logs to stderr only).
// Logs go to stderr, so that the CLI's stdout carries only its output (a CSV, a table).
export const logger = pino(
  {
    level: logLevelFromEnv(),
    base: undefined,
    redact: ["*.password", "*.secret", "*.externalId", "*.SecretAccessKey", "*.SessionToken"],
  },
  pino.destination(2),
);
