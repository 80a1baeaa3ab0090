// One export of every key, in a process of its own (forked by bench/export.ts with the database URL
// and a format): the export route's code, auditedExportBatches → the format's chunks in a web stream
// (CSV, JSON Lines, OCSF or ASFF), read to the end with the bytes
// counted, not kept. Sends its figures back: rows, bytes, time, and memory (RSS before, after the
// first 100,000 rows, and at its peak; the heap's peak).
import { limitHeapGrowthForExport } from "@/lib/cli/export";
import { toWebStream } from "@/lib/csv/csv-stream";
import { createPrisma } from "@/lib/db/client";
import { loadFindingContext } from "@/lib/findings-format/context";
import { FINDING_FORMAT_SPECS, type FindingFormat } from "@/lib/findings-format/formats";
import { auditedExportBatches } from "@/lib/insight-table/export";
import { exportFilters, parseInsightFilters } from "@/lib/insight-table/filters";
import { ALL_KEYS } from "./measure";

const url = process.argv[2]!;
const format = FINDING_FORMAT_SPECS[(process.argv[3] ?? "csv") as FindingFormat];

// As `npx kms-insights export` runs it: the process's heap growth limited (lib/cli/export.ts).
limitHeapGrowthForExport();
const prisma = createPrisma(url, 2);
const rssBefore = process.memoryUsage().rss;
const peak = { rss: rssBefore, heap: process.memoryUsage().heapUsed };
const sample = () => {
  const m = process.memoryUsage();
  peak.rss = Math.max(peak.rss, m.rss);
  peak.heap = Math.max(peak.heap, m.heapUsed);
};
const timer = setInterval(sample, 20);

const filters = exportFilters(parseInsightFilters(new URLSearchParams(ALL_KEYS)).filters);
let rows = 0;
let rssAt100k = 0;
const t = performance.now();
const ctx = await loadFindingContext(prisma);
const batches = auditedExportBatches(
  prisma,
  url,
  filters,
  null,
  { actorEmail: "bench@example.com" },
  format.id,
);
// Count the rows as they leave the database, and note the memory once the first 100,000 have.
async function* counting() {
  for await (const batch of batches) {
    rows += batch.rows.length;
    if (!rssAt100k && rows >= 100_000) {
      sample();
      rssAt100k = peak.rss;
    }
    yield batch;
  }
}
const reader = toWebStream(format.chunks(counting(), ctx)).getReader();
let bytes = 0;
for (;;) {
  const { value, done } = await reader.read();
  if (done) break;
  bytes += value.byteLength;
}
const ms = performance.now() - t;
sample();
clearInterval(timer);
await prisma.$disconnect();
process.send!({
  rows,
  bytes,
  ms,
  rssBefore,
  rssAt100k: rssAt100k || peak.rss,
  rssPeak: peak.rss,
  heapPeak: peak.heap,
});
process.disconnect();
