import pino from "pino";
import { prettyFactory } from "pino-pretty";
import { logSettingsFromEnv } from "@/lib/config/env";
import { chooseLogFormat, readableMessage } from "./format";

// One structured logger for the server, the worker and the CLI. Logs go to stderr, so that the
// CLI's stdout carries only its output (a CSV, a table). JSON for files and log collectors, one
// readable line per entry on a terminal (LOG_FORMAT, lib/log/format.ts).

const settings = logSettingsFromEnv();
const stream = process.stderr;
const format = chooseLogFormat(settings.format, stream.isTTY === true);

// pino-pretty's formatter, not its stream: the stream would treat `err` as an error and spread
// it over several lines, where one line per entry is wanted (the fields as key=value).
function prettyDestination(colorize: boolean): pino.DestinationStream {
  const prettify = prettyFactory({
    colorize,
    translateTime: "SYS:HH:MM:ss",
    hideObject: true,
    errorLikeObjectKeys: [],
    messageFormat: (entry) => readableMessage(entry),
  });
  const out = pino.destination({ dest: 2, sync: true });
  return { write: (line: string) => out.write(prettify(line)) };
}

// Colours only on a terminal: a file or a pipe gets plain text.
const destination = format === "pretty" ? prettyDestination(stream.isTTY === true) : pino.destination(2);

export const logger = pino(
  {
    level: settings.level,
    base: undefined,
    redact: ["*.password", "*.secret", "*.externalId", "*.SecretAccessKey", "*.SessionToken"],
  },
  destination,
);

/**
 * After `npm start` has shown its URL and the first admin's password, readable logs keep to
 * warnings and errors unless LOG_LEVEL was set, so that routine lines (each scanned
 * account-region) do not push that block off the screen. JSON logs are for machines: unchanged.
 * Returns whether the logs were quietened.
 */
export function quietRoutineLogs(): boolean {
  if (format !== "pretty" || settings.levelGiven) return false;
  if (logger.levelVal < pino.levels.values.warn!) logger.level = "warn";
  return true;
}
