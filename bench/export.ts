// `npm run bench:export`: the CSV export of every key (the export route's code: auditedExportBatches,
// the COPY … TO STDOUT of streamRawInsightBatches and the CSV format's chunks, read to the end)
// against PostgreSQL's own `COPY (the same select) TO STDOUT WITH CSV`, over a generated estate of
// 1,000,000 keys, and the same export as JSON Lines against the same COPY (issue 17). Targets: at
// least 0.6 of COPY's rows per second; peak memory under 300 MB and flat as rows grow (within 10%
// from 100,000 rows to the end). Then OCSF and ASFF (docs/finding-formats.md), one run each: a
// million findings within two minutes, memory as the CSV's. Last, the real command line process,
// `kms-insights export` of the same keys (CSV and, when timed, JSON Lines): its peak RSS under 300 MB.
import { fork, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { csvFileName } from "@/lib/csv";
import { FINDING_FORMATS, type FindingFormat } from "@/lib/findings-format/formats";
import { exportFilters, parseInsightFilters } from "@/lib/insight-table/filters";
import { withLiterals } from "@/lib/insight-table/copy-text";
import { insightRowsQuery } from "@/lib/insight-table/page-query";
import { copyOut } from "./support/copy-out";
import { openBenchRun } from "./support/database";
import { ALL_KEYS, int, intArg, median, parseBenchArgs, printTable, verdict } from "./support/measure";

const USAGE = `usage: npm run bench:export -- [--keys 1000000] [--scans 30] [--runs 2] [--formats jsonl,ocsf,asff]
  --runs N       CSV exports, JSON Lines exports and COPYs to time, alternating (default 2); medians
                 are reported
  --formats F,…  the finding formats besides the CSV (default jsonl,ocsf,asff; none): JSON Lines is
                 timed in each run, OCSF and ASFF once each after the runs
BENCH_DATABASE_URL: use (and keep) this database; the estate is generated into it when it is empty,
reused when it already holds one of the same size.`;

const MEMORY_TARGET_MB = 300;
/** The CSV and JSON Lines exports against COPY's rows per second (issue 17). */
const COPY_RATIO = 0.6;
/** Flat: the peak over all rows at most this much above the peak at 100,000 rows. */
const FLAT = 1.1;
/** The JSON formats: a million findings in two minutes at most. */
const JSON_ROWS_PER_SECOND = 1_000_000 / 120;
const MB = 2 ** 20;

const args = parseBenchArgs(USAGE, { runs: { type: "string" }, formats: { type: "string" } });
const runs = intArg(args.values, "runs", 2);
const formatsArg = String(args.values.formats ?? "jsonl,ocsf,asff");
const formats = (formatsArg === "none" ? [] : formatsArg.split(",")) as FindingFormat[];
for (const f of formats) {
  if (!(FINDING_FORMATS as readonly string[]).includes(f) || f === "csv")
    throw new Error(`--formats: "${f}" is not one of jsonl, ocsf, asff`);
}

interface Run {
  rows: number;
  bytes: number;
  ms: number;
  /** Peak RSS while reading the first 100,000 rows, and over the whole run. */
  rssAt100k: number;
  rssPeak: number;
  heapPeak: number;
}

const { db, pool, close } = await openBenchRun("bench:export", { keys: args.keys, scans: args.scans }, 2);
try {
  // Every live key: NOT_APPLICABLE ones are exported only when asked for, so ask for all severities.
  const { filters: all } = parseInsightFilters(new URLSearchParams(ALL_KEYS));
  const filters = exportFilters(all);
  const copySql = `COPY (${withLiterals(insightRowsQuery(filters, null))}) TO STDOUT WITH CSV`;
  console.log(
    `method     ${runs} runs of each, alternating; export = auditedExportBatches → the format's chunks in a web stream, read to the end` +
      ` (bytes counted, not kept); COPY = the same select through pg as CSV, bytes counted; JSON Lines is held to the same COPY's rows/s. Memory: the RSS of the process that runs the export and nothing else.\n`,
  );

  // Each export runs in a process of its own (bench/support/export-child.ts), which does nothing
  // else: its memory is the export's, not what the COPYs or earlier runs left in this one.
  const exportRun = (format: FindingFormat = "csv") =>
    new Promise<Run & { rssBefore: number }>((resolve, reject) => {
      const child = fork(new URL("./support/export-child.ts", import.meta.url).pathname, [db.url, format], {
        execArgv: ["--import", "tsx"],
        stdio: ["ignore", "inherit", "inherit", "ipc"],
      });
      child.once("message", (run) => resolve(run as Run & { rssBefore: number }));
      child.once("exit", (code) => reject(new Error(`the export process exited (${code}) without a result`)));
    });

  // `npx kms-insights export` as a user runs it (scripts/kms-insights.mjs, every step of the command:
  // the database prepared, the export, its audit entry), stdout counted; its peak RSS is the
  // kernel's high-water mark (VmHWM), read while it runs.
  const cliRun = (format: FindingFormat) =>
    new Promise<{ bytes: number; ms: number; rssPeak: number }>((resolve, reject) => {
      const severities = new URLSearchParams(ALL_KEYS).getAll("severity");
      const child = spawn(
        process.execPath,
        [
          new URL("../scripts/kms-insights.mjs", import.meta.url).pathname,
          "export",
          "--format",
          format,
          ...severities.flatMap((s) => ["--severity", s]),
        ],
        { env: { ...process.env, DATABASE_URL: db.url }, stdio: ["ignore", "pipe", "inherit"] },
      );
      const t = performance.now();
      let bytes = 0;
      let rssPeak = 0;
      const sample = () => {
        try {
          const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"))?.[1];
          if (kb) rssPeak = Math.max(rssPeak, Number(kb) * 1024);
        } catch {
          // The process has just ended: the last reading stands (the high-water mark only grows).
        }
      };
      const timer = setInterval(sample, 10);
      child.stdout.on("data", (chunk: Buffer) => (bytes += chunk.length));
      child.once("error", reject);
      child.once("exit", (code) => {
        clearInterval(timer);
        if (code === 0) resolve({ bytes, ms: performance.now() - t, rssPeak });
        else reject(new Error(`kms-insights export --format ${format} exited with ${code}`));
      });
    });

  const copyRun = async (): Promise<Run> => {
    const client = await pool.connect();
    let bytes = 0;
    const t = performance.now();
    try {
      const rows = await copyOut(client, copySql, (chunk) => (bytes += chunk.length));
      const ms = performance.now() - t;
      return { rows, bytes, ms, rssAt100k: 0, rssPeak: 0, heapPeak: 0 };
    } finally {
      client.release();
    }
  };

  const line = (label: string, e: Run & { rssBefore?: number }) =>
    console.log(
      `  ${label.padEnd(6)}  ${e.rssBefore ? `(process RSS ${(e.rssBefore / MB).toFixed(0)} MB before) ` : ""}${int(e.rows)} rows, ${(e.bytes / MB).toFixed(0)} MB in ${(e.ms / 1000).toFixed(1)} s, RSS ${(e.rssAt100k / MB).toFixed(0)} MB` +
        ` at 100k rows, ${(e.rssPeak / MB).toFixed(0)} MB peak, heap peak ${(e.heapPeak / MB).toFixed(0)} MB`,
    );
  const timesJsonl = formats.includes("jsonl");
  const exports: Run[] = [];
  const jsonls: Run[] = [];
  const copies: Run[] = [];
  for (let i = 0; i < runs; i++) {
    const e = await exportRun();
    exports.push(e);
    line("export", e);
    if (timesJsonl) {
      const j = await exportRun("jsonl");
      jsonls.push(j);
      line("jsonl", j);
      if (j.rows !== e.rows) throw new Error(`the jsonl export wrote ${j.rows} rows, the CSV ${e.rows}`);
    }
    const c = await copyRun();
    copies.push(c);
    console.log(
      `  COPY    ${int(c.rows)} rows, ${(c.bytes / MB).toFixed(0)} MB in ${(c.ms / 1000).toFixed(1)} s`,
    );
    if (e.rows !== c.rows) throw new Error(`the export wrote ${e.rows} rows, COPY ${c.rows}`);
  }
  const others: [FindingFormat, Run][] = [];
  for (const format of formats.filter((f) => f !== "jsonl")) {
    const e = await exportRun(format);
    others.push([format, e]);
    line(format, e);
    if (e.rows !== copies[0]!.rows)
      throw new Error(`the ${format} export wrote ${e.rows} rows, COPY ${copies[0]!.rows}`);
  }
  const clis: [FindingFormat, Run[]][] = [
    ["csv", exports],
    ...(timesJsonl ? [["jsonl", jsonls] as [FindingFormat, Run[]]] : []),
  ];
  const cliPeaks: [FindingFormat, number][] = [];
  for (const [format, inProcess] of clis) {
    const c = await cliRun(format);
    cliPeaks.push([format, c.rssPeak]);
    console.log(
      `  cli     kms-insights export --format ${format}: ${(c.bytes / MB).toFixed(0)} MB in ${(c.ms / 1000).toFixed(1)} s, peak RSS ${(c.rssPeak / MB).toFixed(0)} MB`,
    );
    if (c.bytes !== inProcess[0]!.bytes)
      throw new Error(
        `kms-insights export --format ${format} wrote ${c.bytes} bytes, the export ${inProcess[0]!.bytes}`,
      );
  }
  const rate = (r: Run[]) => median(r.map((x) => (x.rows / x.ms) * 1000));
  const copyRate = rate(copies);
  type Row = [measure: string, result: string, target: string, ok: boolean];
  /** The rows of the table for the runs of one format held to COPY (CSV, JSON Lines). */
  const copyRows = (label: string, runs: Run[]): Row[] => {
    const r = rate(runs);
    const rss100k = Math.max(...runs.map((e) => e.rssAt100k)) / MB;
    const rssPeak = Math.max(...runs.map((e) => e.rssPeak)) / MB;
    return [
      [
        `${label} rows/s (median)`,
        int(Math.round(r)),
        `>= ${int(Math.round(copyRate * COPY_RATIO))}`,
        r >= copyRate * COPY_RATIO,
      ],
      [
        `${label} / COPY`,
        `${(r / copyRate).toFixed(2)}x`,
        `>= ${COPY_RATIO.toFixed(2)}x`,
        r >= copyRate * COPY_RATIO,
      ],
      [
        `${label} peak RSS at 100,000 rows`,
        `${rss100k.toFixed(0)} MB`,
        `< ${MEMORY_TARGET_MB} MB`,
        rss100k < MEMORY_TARGET_MB,
      ],
      [
        `${label} peak RSS at ${int(runs[0]!.rows)} rows`,
        `${rssPeak.toFixed(0)} MB`,
        `< ${MEMORY_TARGET_MB} MB`,
        rssPeak < MEMORY_TARGET_MB,
      ],
      [
        `${label} RSS growth 100,000 → all`,
        `${(rssPeak - rss100k).toFixed(0)} MB (${((rssPeak / rss100k - 1) * 100).toFixed(0)}%)`,
        `flat (<= ${((FLAT - 1) * 100).toFixed(0)}%)`,
        rssPeak <= rss100k * FLAT,
      ],
    ];
  };
  const rows: Row[] = [
    ...copyRows("CSV", exports),
    ...(timesJsonl ? copyRows("jsonl", jsonls) : []),
    ...cliPeaks.map(([format, peak]): Row => [
      `kms-insights export (${format}) peak RSS`,
      `${(peak / MB).toFixed(0)} MB`,
      `< ${MEMORY_TARGET_MB} MB`,
      peak / MB < MEMORY_TARGET_MB,
    ]),
    ...others.flatMap(([format, e]): Row[] => {
      const r = (e.rows / e.ms) * 1000;
      return [
        [
          `${format} rows/s`,
          int(Math.round(r)),
          `>= ${int(Math.round(JSON_ROWS_PER_SECOND))}`,
          r >= JSON_ROWS_PER_SECOND,
        ],
        [
          `${format} peak RSS`,
          `${(e.rssPeak / MB).toFixed(0)} MB`,
          `< ${MEMORY_TARGET_MB} MB`,
          e.rssPeak / MB < MEMORY_TARGET_MB,
        ],
        [
          `${format} RSS growth 100,000 → all`,
          `${((e.rssPeak - e.rssAt100k) / MB).toFixed(0)} MB`,
          `flat (<= ${((FLAT - 1) * 100).toFixed(0)}%)`,
          e.rssPeak <= e.rssAt100k * FLAT,
        ],
      ];
    }),
  ];
  console.log("");
  printTable([
    ["measure", "result", "target", "verdict"],
    ["COPY rows/s (median)", int(Math.round(copyRate)), "", ""],
    ...rows.map(([measure, result, target, ok]) => [measure, result, target, verdict(ok)]),
  ]);
  console.log(
    `\nfile       ${csvFileName("kms-key-rotation", new Date())}, ${(exports[0]!.bytes / MB).toFixed(0)} MB (COPY's CSV: ${(copies[0]!.bytes / MB).toFixed(0)} MB, no BOM, no neutralisation, its own date format)`,
  );
  process.exitCode = rows.every(([, , , ok]) => ok) ? 0 : 1;
} finally {
  await close();
}
