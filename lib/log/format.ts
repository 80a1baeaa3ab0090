export type LogFormatSetting = "auto" | "pretty" | "json";

/**
 * How log entries are written: `json` (one object a line) for a file, a pipe or a log collector,
 * `pretty` (one readable line) for a person at a terminal. `auto` decides by whether the log's
 * stream (stderr) is a terminal.
 */
export function chooseLogFormat(setting: LogFormatSetting, streamIsTTY: boolean): "pretty" | "json" {
  if (setting === "auto") return streamIsTTY ? "pretty" : "json";
  return setting;
}

const LOGGER_KEYS = new Set(["level", "time", "msg", "pid", "hostname"]);

function formatValue(value: unknown): string {
  if (typeof value === "string") return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  if (value instanceof Object && "message" in value && typeof value.message === "string") {
    return JSON.stringify(value.message); // an error: its message, not its stack
  }
  return JSON.stringify(value) ?? String(value);
}

/** A log entry's message and fields as one readable line: `scan target finished region=us-east-1 keys=12`. */
export function readableMessage(entry: Record<string, unknown>): string {
  const fields = Object.entries(entry)
    .filter(([key, value]) => !LOGGER_KEYS.has(key) && value !== undefined)
    .map(([key, value]) => `${key}=${formatValue(value)}`);
  return [typeof entry.msg === "string" ? entry.msg : "", ...fields].filter(Boolean).join(" ");
}
