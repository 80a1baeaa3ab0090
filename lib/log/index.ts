import pino from "pino";

// One structured logger for the server, the worker and the CLI (which logs to stderr only).
// Logs go to stderr, so that the CLI's stdout carries only its output (a CSV, a table).
export const logger = pino(
  {
    level: process.env.LOG_LEVEL ?? "info",
    base: undefined,
    redact: ["*.password", "*.secret", "*.externalId", "*.SecretAccessKey", "*.SessionToken"],
  },
  pino.destination(2),
);
