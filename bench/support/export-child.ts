// One export of every key, in a process of its own (forked by bench/export.ts with the database URL):
// the export route's code, auditedExportRows → insightCsvWebStream, read to the end with the bytes
// counted, not kept. Sends its figures back: rows, bytes, time, and memory (RSS before, after the
// first 100,000 rows, and at its peak; the heap's peak).
import { insightCsvWebStream } from "@/lib/csv";
import { createPrisma } from "@/lib/db/client";
import { auditedExportRows } from "@/lib/insight-table/export";
import { exportFilters, parseInsightFilters } from "@/lib/insight-table/filters";
import { ALL_KEYS } from "./measure";

const url = process.argv[2]!;

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
const counted = auditedExportRows(prisma, url, filters, null, { actorEmail: "bench@example.com" });
// Count the rows as they leave the cursor, and note the memory after the first 100,000.
async function* counting() {
  for await (const row of counted) {
    if (++rows === 100_000) {
      sample();
      rssAt100k = peak.rss;
    }
    yield row;
  }
}
const reader = insightCsvWebStream(counting()).getReader();
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
