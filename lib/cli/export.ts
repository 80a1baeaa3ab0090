import { once } from "node:events";
import { parseArgs } from "node:util";
import v8 from "node:v8";
import { loadFindingContext } from "@/lib/findings-format/context";
import { FINDING_FORMATS, parseFindingFormat } from "@/lib/findings-format/formats";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { auditedExportBatches } from "@/lib/insight-table/export";
import { FILTER_FLAG_HELP, FILTER_FLAG_OPTIONS, FILTER_FLAG_USAGE, filtersFromFlags } from "./filter-flags";
import { UsageError, type CliIO } from "./io";
import type { CommandHelp } from "./help";

export const EXPORT_HELP: CommandHelp = {
  command: "export",
  summary: "the key rotation insight as CSV, JSON Lines, OCSF or ASFF, to stdout",
  usage: ["export [--format csv|jsonl|ocsf|asff]", ...FILTER_FLAG_USAGE.map((l) => `       ${l}`)],
  description:
    "Writes the key rotation insight to stdout: every key the filters select, in the table's " +
    "order (the filters are the insight page's), as CSV in the table's columns or as one finding a " +
    "line in JSON Lines, OCSF 1.3 Detection Findings or ASFF (docs/finding-formats.md). Redirect it " +
    "to a file: `npx kms-insights export --severity CRITICAL > critical.csv`.",
  options: [{ flag: "--format F", text: FINDING_FORMATS.join(", "), default: "csv" }, ...FILTER_FLAG_HELP],
};

/**
 * How far V8 lets the heap grow past what survived its last full collection before it runs the next
 * one: 50% (one and a half times). An export reads its rows faster than young collections can let them die, so a
 * few MB are promoted at each one, all garbage soon after; V8's own factor (up to four times for a
 * heap this size) let that pile up to ~160 MB of a ~40 MB heap, and the process past 300 MB
 * (docs/benchmarks.md, "Export memory").
 */
const EXPORT_HEAP_GROWING_PERCENT = 50;

/** The export's setting of V8's heap growth, for this process from now on (the CLI's export). */
export function limitHeapGrowthForExport(): void {
  v8.setFlagsFromString(`--heap-growing-percent=${EXPORT_HEAP_GROWING_PERCENT}`);
}

export async function exportCommand(
  argv: string[],
  target: { prisma: PrismaClient; url: string },
  io: CliIO,
): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { format: { type: "string" }, ...FILTER_FLAG_OPTIONS },
    strict: true,
  });
  const parsed = parseFindingFormat(values.format);
  if (!parsed.ok) throw new UsageError(`--format ${parsed.message.replace(/^Unknown format /, "")}`);
  const format = parsed.format;
  const filters = filtersFromFlags(values);
  limitHeapGrowthForExport();
  const ctx = await loadFindingContext(target.prisma);
  const rows = auditedExportBatches(
    target.prisma,
    target.url,
    filters,
    null,
    { actorEmail: "cli" },
    format.id,
  );
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
