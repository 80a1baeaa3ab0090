import pino from "pino";

// One structured logger for the server, the worker and the CLI (which logs to stderr only).
export const logger = pino({
  level: process.env.LOG_LEVEL ?? "info",
  base: undefined,
  redact: ["*.password", "*.secret", "*.externalId", "*.SecretAccessKey", "*.SessionToken"],
});
