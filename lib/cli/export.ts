import { once } from "node:events";
import { parseArgs } from "node:util";
import { csvChunks, INSIGHT_CSV_COLUMNS } from "@/lib/csv";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { auditedExportRows } from "@/lib/insight-table/export";
import { FILTER_FLAG_HELP, FILTER_FLAG_OPTIONS, FILTER_FLAG_USAGE, filtersFromFlags } from "./filter-flags";
import type { CliIO } from "./io";
import type { CommandHelp } from "./help";

export const EXPORT_HELP: CommandHelp = {
  command: "export",
  summary: "the key rotation insight as CSV, to stdout",
  usage: [`export ${FILTER_FLAG_USAGE[0]}`, ...FILTER_FLAG_USAGE.slice(1).map((l) => `       ${l}`)],
  description:
    "Writes the key rotation insight as CSV to stdout: every key the filters select, in the " +
    "table's columns and order (the filters are the insight page's). Redirect it to a file: " +
    "`npx kms-insights export --severity CRITICAL > critical.csv`.",
  options: FILTER_FLAG_HELP,
};

export async function exportCommand(
  argv: string[],
  target: { prisma: PrismaClient; url: string },
  io: CliIO,
): Promise<number> {
  const { values } = parseArgs({ args: argv, options: FILTER_FLAG_OPTIONS, strict: true });
  const filters = filtersFromFlags(values);
  const rows = auditedExportRows(target.prisma, target.url, filters, null, { actorEmail: "cli" });
  try {
    await writeAll(csvChunks(INSIGHT_CSV_COLUMNS, rows), io.stdout);
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
