import { once } from "node:events";
import { parseArgs } from "node:util";
import { loadFindingContext } from "@/lib/findings-format/context";
import { FINDING_FORMATS, parseFindingFormat } from "@/lib/findings-format/formats";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { auditedExportRows } from "@/lib/insight-table/export";
import { parseInsightFilters } from "@/lib/insight-table/filters";
import { UsageError, type CliIO } from "./io";
import type { CommandHelp } from "./help";

export const EXPORT_HELP: CommandHelp = {
  command: "export",
  summary: "the key rotation insight as CSV, JSON Lines, OCSF or ASFF, to stdout",
  usage: [
    "export [--format csv|jsonl|ocsf|asff] [--account ID]... [--severity S]...",
    "       [--region R]... [--q TEXT] [--tag KEY [--tag-value V]...]",
    "       [--status S]... [--overdue]",
    "       [--change C]... [--since SCAN_ID|DATE]",
  ],
  description:
    "Writes the key rotation insight to stdout: every key the filters select, in the table's " +
    "order (the filters are the insight page's), as CSV in the table's columns or as one finding a " +
    "line in JSON Lines, OCSF 1.3 Detection Findings or ASFF (docs/finding-formats.md). Redirect it " +
    "to a file: `npx kms-insights export --severity CRITICAL > critical.csv`.",
  options: [
    { flag: "--format F", text: FINDING_FORMATS.join(", "), default: "csv" },
    { flag: "--account ID", text: "keys of this account; repeatable" },
    {
      flag: "--severity S",
      text: "CRITICAL, WARNING, OK or NOT_APPLICABLE; repeatable (NOT_APPLICABLE keys only when asked for)",
    },
    { flag: "--region R", text: "keys of this region; repeatable" },
    { flag: "--tag KEY", text: "keys with this tag" },
    { flag: "--tag-value V", text: "with --tag: keys whose tag has this value; repeatable" },
    { flag: "--q TEXT", text: "the insight page's search" },
    {
      flag: "--status S",
      text: "open, excepted, resolved or passing; repeatable (excepted findings only with --status excepted or --change)",
    },
    { flag: "--change C", text: "new, resolved or reopened; repeatable" },
    {
      flag: "--since SCAN_ID|DATE",
      text: "with --change: changes since this scan or date",
      default: "the previous scan",
    },
    { flag: "--overdue", text: "open findings past their due date" },
  ],
};

/** The URL parameter each flag stands for: the CLI and the web share one filter parser. */
const FLAGS = {
  account: "account",
  severity: "severity",
  region: "region",
  tag: "tag",
  "tag-value": "tagValue",
  q: "q",
  status: "status",
  change: "change",
  since: "since",
  overdue: "overdue",
} as const;

export async function exportCommand(
  argv: string[],
  target: { prisma: PrismaClient; url: string },
  io: CliIO,
): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      format: { type: "string" },
      account: { type: "string", multiple: true },
      severity: { type: "string", multiple: true },
      region: { type: "string", multiple: true },
      tag: { type: "string" },
      "tag-value": { type: "string", multiple: true },
      q: { type: "string" },
      status: { type: "string", multiple: true },
      change: { type: "string", multiple: true },
      since: { type: "string" },
      overdue: { type: "boolean" },
    },
    strict: true,
  });
  const parsed = parseFindingFormat(values.format);
  if (!parsed.ok) throw new UsageError(`--format ${parsed.message.replace(/^Unknown format /, "")}`);
  const format = parsed.format;
  if (values["tag-value"] && values.tag === undefined) throw new UsageError("--tag-value needs --tag.");
  if (values.since !== undefined && !values.change) throw new UsageError("--since needs --change.");
  const params = Object.fromEntries(
    Object.entries(FLAGS).map(([flag, param]) => {
      const value = values[flag as keyof typeof FLAGS];
      // A switch on the command line is "1" in the URL.
      return [param, value === true ? "1" : value === false ? undefined : value];
    }),
  );
  const { filters, notices } = parseInsightFilters(params);
  if (notices.length) {
    const byFlag = Object.fromEntries(Object.entries(FLAGS).map(([flag, param]) => [param, `--${flag}`]));
    throw new UsageError(
      notices.map((n) => n.replace(/^Ignored (\w+)/, (_, param: string) => byFlag[param] ?? param)).join(" "),
    );
  }
  const ctx = await loadFindingContext(target.prisma);
  const rows = auditedExportRows(target.prisma, target.url, filters, null, { actorEmail: "cli" }, format.id);
  try {
    await writeAll(format.chunks(rows, ctx), io.stdout);
  } catch (err) {
    // The reader went away (`| head`): what it wanted was written.
    if ((err as NodeJS.ErrnoException).code === "EPIPE") return 0;
    throw err;
  }
  return 0;
}

/** Writes every chunk, waiting for the output to drain whenever its buffer is full. */
async function writeAll(chunks: AsyncIterable<Uint8Array>, out: NodeJS.WritableStream): Promise<void> {
  let failure: unknown;
  const onError = (err: unknown) => (failure = err);
  out.on("error", onError);
  try {
    for await (const chunk of chunks) {
      if (failure) throw failure;
      if (!out.write(chunk)) await once(out, "drain");
    }
    if (failure) throw failure;
  } finally {
    out.off("error", onError);
  }
}
