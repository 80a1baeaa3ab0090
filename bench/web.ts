// `npm run bench:web`: 50 concurrent signed-in clients on the insight page with filters for 30 s,
// against a production build started as `npm start` does. Prints p50/p99 and the error count.
import autocannon from "autocannon";
import { signIn, startConsole } from "./support/console-server";

const PORT = Number(process.env.BENCH_PORT ?? 3300);
const DURATION = Number(process.env.BENCH_DURATION ?? 30);
const CONNECTIONS = 50;
const PATH =
  "/insights/kms-key-rotation?severity=CRITICAL&severity=WARNING&region=us-east-1&sort=-severity&pageSize=50";

const server = await startConsole({ port: PORT });
try {
  const cookie = await signIn(server.url, "bench@example.com", "bench-password-123");
  // Wait for the demo scan so that the page has rows to render.
  for (let i = 0; i < 120; i++) {
    const html = await (await fetch(server.url + PATH, { headers: { cookie } })).text();
    if (/data-testid="insight-total"/.test(html) || !/No key matches|no scan yet/i.test(html)) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  const result = await autocannon({
    url: server.url + PATH,
    connections: CONNECTIONS,
    duration: DURATION,
    headers: { cookie, accept: "text/html" },
  });
  const errors = result.errors + result.timeouts + result.non2xx;
  console.log(`\nbench:web  ${CONNECTIONS} connections, ${DURATION} s, GET ${PATH}`);
  console.log(`  requests     ${result.requests.total} (${result.requests.average.toFixed(1)}/s)`);
  console.log(`  latency p50  ${result.latency.p50} ms`);
  console.log(`  latency p99  ${result.latency.p99} ms`);
  console.log(
    `  errors       ${errors} (non-2xx ${result.non2xx}, timeouts ${result.timeouts}, errors ${result.errors})   target 0: ${errors === 0 ? "PASS" : "MISS"}`,
  );
  process.exitCode = errors === 0 ? 0 : 1;
} finally {
  await server.stop();
}
