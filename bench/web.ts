// `npm run bench:web`: the insight page (50 rows, filters applied) and the overview, signed in,
// against a production build started as `npm start` does (demo data from the sandbox). Prints the
// web server's CPU time per request and the bytes each page sends, one request at a time, then 50
// concurrent clients on the insight page for 30 s; each figure beside its target (PASS or MISS).
// For scale, it also times the console's smallest route and page signed out: Next.js's own cost
// per request on the machine, which the page targets are to be read against.
import { gzipSync } from "node:zlib";
import autocannon from "autocannon";
import { signIn, startConsole } from "./support/console-server";
import { machineLines, ms, printTable, quantile, verdict } from "./support/measure";
import { webCpuMs, webServerPid } from "./support/web-process";

const PORT = Number(process.env.BENCH_PORT ?? 3300);
const PG_PORT = process.env.BENCH_PG_PORT ?? "5633";
const DURATION = Number(process.env.BENCH_DURATION ?? 30);
const SEQUENTIAL = Number(process.env.BENCH_REQUESTS ?? 100);
const CONNECTIONS = 50;
const ROWS = 50;
// The demo estate has 120 keys: three severities give 100, so the page shows 50 of them.
const INSIGHT =
  "/insights/kms-key-rotation?severity=CRITICAL&severity=WARNING&severity=OK&sort=-severity&pageSize=50";
const OVERVIEW = "/";
const TARGET = { insightCpuMs: 12, insightKb: 60, overviewCpuMs: 8, p95Ms: 1000 };

const rowsOf = (html: string) => (html.match(/<tr[^>]*data-key-id=/g) ?? []).length;
const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} KB`;

interface Sequential {
  cpuMs: number;
  p50: number;
  bytes: number;
  gzipBytes: number;
}

const server = await startConsole({ port: PORT, env: { INSIGHTS_PG_PORT: PG_PORT } });
try {
  const cookie = await signIn(server.url, "bench@example.com", "bench-password-123");
  const web = webServerPid(server.pid);
  const get = async (path: string, headers: Record<string, string> = {}, signedIn = true) => {
    const res = await fetch(server.url + path, {
      headers: { ...(signedIn && { cookie }), accept: "text/html", ...headers },
    });
    if (!res.ok) throw new Error(`GET ${path}: ${res.status}`);
    return Buffer.from(await res.arrayBuffer());
  };
  // Wait for the demo scan, so that the page has its rows.
  let rows = 0;
  for (let i = 0; i < 180 && rows < ROWS; i++) {
    rows = rowsOf((await get(INSIGHT)).toString("utf8"));
    if (rows < ROWS) await new Promise((r) => setTimeout(r, 1000));
  }
  if (rows !== ROWS) throw new Error(`the insight page shows ${rows} rows, not ${ROWS}`);

  /** N requests one at a time, after 20 to warm up: the server's CPU per request, latency, bytes. */
  const sequential = async (
    path: string,
    headers: Record<string, string> = {},
    signedIn = true,
  ): Promise<Sequential> => {
    for (let i = 0; i < 20; i++) await get(path, headers, signedIn);
    const latencies: number[] = [];
    let body = Buffer.alloc(0);
    const cpu0 = webCpuMs(web);
    for (let i = 0; i < SEQUENTIAL; i++) {
      const t0 = performance.now();
      body = await get(path, headers, signedIn);
      latencies.push(performance.now() - t0);
    }
    const cpuMs = (webCpuMs(web) - cpu0) / SEQUENTIAL;
    return { cpuMs, p50: quantile(latencies, 0.5), bytes: body.length, gzipBytes: gzipSync(body).length };
  };
  console.log(["", ...machineLines("18 (embedded)", "npm start")].join("\n"));
  const insight = await sequential(INSIGHT);
  // A client-side navigation asks for the RSC payload alone (Next redirects to add its `_rsc` key).
  const insightRsc = await sequential(INSIGHT + "&_rsc=bench", { RSC: "1" });
  const overview = await sequential(OVERVIEW);
  // For scale: what Next.js itself costs here, on the console's smallest route and page.
  const health = await sequential("/api/health", {}, false);
  const login = await sequential("/login", {}, false);
  console.log(`\nbench:web  one request at a time, ${SEQUENTIAL} each after 20 to warm up`);
  printTable([
    ["page", "server CPU / request", "p50", "body", "gzip", "target", "result"],
    [
      `insight page, ${ROWS} rows (document)`,
      ms(insight.cpuMs),
      ms(insight.p50),
      kb(insight.bytes),
      kb(insight.gzipBytes),
      `≤ ${TARGET.insightCpuMs} ms, ≤ ${TARGET.insightKb} KB`,
      `${verdict(insight.cpuMs <= TARGET.insightCpuMs)} / ${verdict(insight.bytes <= TARGET.insightKb * 1000)}`,
    ],
    [
      "insight page, client navigation (RSC)",
      ms(insightRsc.cpuMs),
      ms(insightRsc.p50),
      kb(insightRsc.bytes),
      kb(insightRsc.gzipBytes),
      "-",
      "-",
    ],
    [
      "overview (document)",
      ms(overview.cpuMs),
      ms(overview.p50),
      kb(overview.bytes),
      kb(overview.gzipBytes),
      `≤ ${TARGET.overviewCpuMs} ms`,
      verdict(overview.cpuMs <= TARGET.overviewCpuMs),
    ],
  ]);
  console.log(`\nfor scale, Next.js's own cost on this machine (signed out, no database read):`);
  printTable([
    ["route", "server CPU / request", "p50", "body"],
    ["/api/health (a route handler answering {ok:true})", ms(health.cpuMs), ms(health.p50), kb(health.bytes)],
    ["/login (the sign-in page: a heading and a form)", ms(login.cpuMs), ms(login.p50), kb(login.bytes)],
  ]);

  const latencies: number[] = [];
  const cpu0 = webCpuMs(web);
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: server.url + INSIGHT,
        connections: CONNECTIONS,
        duration: DURATION,
        headers: { cookie, accept: "text/html" },
      },
      (err, res) => (err ? reject(err) : resolve(res)),
    );
    instance.on("response", (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
  const cpuPerRequest = (webCpuMs(web) - cpu0) / Math.max(1, result.requests.total);
  const errors = result.errors + result.timeouts + result.non2xx;
  const p95 = quantile(latencies, 0.95);
  console.log(`\nbench:web  ${CONNECTIONS} connections, ${DURATION} s, GET ${INSIGHT}`);
  console.log(`  requests     ${result.requests.total} (${result.requests.average.toFixed(1)}/s)`);
  console.log(
    `  latency      p50 ${ms(quantile(latencies, 0.5))}, p95 ${ms(p95)}, p99 ${ms(quantile(latencies, 0.99))}`,
  );
  console.log(`  server CPU   ${ms(cpuPerRequest)} per request`);
  console.log(`  p95          target < ${TARGET.p95Ms} ms: ${verdict(p95 < TARGET.p95Ms)}`);
  console.log(
    `  errors       ${errors} (non-2xx ${result.non2xx}, timeouts ${result.timeouts}, errors ${result.errors})   target 0: ${verdict(errors === 0)}`,
  );
  const pass =
    errors === 0 &&
    p95 < TARGET.p95Ms &&
    insight.cpuMs <= TARGET.insightCpuMs &&
    insight.bytes <= TARGET.insightKb * 1000 &&
    overview.cpuMs <= TARGET.overviewCpuMs;
  process.exitCode = pass ? 0 : 1;
} finally {
  await server.stop();
}
