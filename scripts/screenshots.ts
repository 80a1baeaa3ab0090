// `npm run docs:screenshots`: starts the console with demo data, signs in as an admin and saves every
// page at 1440×900 and 390×844, light and dark, as docs/screenshots/<page>-<desktop|mobile>-<light|dark>.png
// (the viewport only, to keep them small), then writes docs/screenshots/README.md listing them.
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { chromium, type Browser, type Page } from "@playwright/test";
import { format } from "prettier";
import { signIn, startConsole, type RunningConsole } from "../bench/support/console-server";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../test/support/chromium";

const OUT = "docs/screenshots";
const VIEWPORTS = { desktop: { width: 1440, height: 900 }, mobile: { width: 390, height: 844 } } as const;
const THEMES = ["light", "dark"] as const;

interface Shot {
  /** The file name's first part. */
  name: string;
  title: string;
  path: string;
  /** The route as the README names it, when the path holds an id. */
  route?: string;
  signedOut?: boolean;
}

/** The demo estate has no exception: one for the first failing key, so that its page has content. */
/** `npx kms-insights ARGS` against the console's data directory. */
function cli(server: RunningConsole, args: string[]) {
  return spawnSync(process.execPath, ["--import", "tsx", "scripts/cli.ts", ...args], {
    encoding: "utf8",
    env: { ...process.env, INSIGHTS_DATA_DIR: server.dataDir, LOG_LEVEL: "warn" },
  });
}

function addException(server: RunningConsole, arn: string): string {
  const result = cli(server, [
    "exceptions",
    "add",
    "--kind",
    "accepted-risk",
    "--justification",
    "The legacy client cannot follow a rotated key; it is replaced this quarter.",
    "--owner",
    "bench@example.com",
    "--ticket",
    "https://tickets.example.com/SEC-42",
    "--key",
    arn,
  ]);
  const id = /exc_[a-z0-9]+/.exec(result.stdout + result.stderr)?.[0];
  if (!id) throw new Error(`exceptions add failed: ${result.stderr}`);
  return id;
}

/** A fix plan of every critical key: some to change, some skipped (an account without write access). */
function planFixOfCritical(server: RunningConsole): string {
  const result = cli(server, ["fix", "plan", "--severity", "CRITICAL"]);
  const id = result.stdout.trim().split("\n").at(-1);
  if (result.status !== 0 || !id) throw new Error(`fix plan failed: ${result.stderr}`);
  return id;
}

/** Waits for the demo scan, then finds a failing key and gives it an exception. */
async function prepare(
  server: RunningConsole,
  page: Page,
): Promise<{ keyPath: string; exceptionPath: string; fixPath: string }> {
  const table = `${server.url}/insights/kms-key-rotation?severity=CRITICAL`;
  for (let i = 0; ; i++) {
    await page.goto(table);
    if ((await page.locator('a[href^="/keys/"]').count()) > 0) break;
    if (i === 300) throw new Error("the demo scan found no key in 5 minutes");
    await page.waitForTimeout(1000);
  }
  const keyPath = (await page.locator('a[href^="/keys/"]').first().getAttribute("href"))!;
  await page.goto(`${server.url}${keyPath}`);
  const arn = /arn:aws:kms:[^\s"<]+:key\/[A-Za-z0-9-]+/.exec(await page.content())?.[0];
  if (!arn) throw new Error(`no key ARN on ${keyPath}`);
  const exceptionPath = `/exceptions/${addException(server, arn)}`;
  const fixPath = `/fixes/${planFixOfCritical(server)}`;
  return { keyPath: `/keys/${keyPath.split("/keys/")[1]!.split(/[?#]/)[0]}`, exceptionPath, fixPath };
}

async function shoot(browser: Browser, server: RunningConsole, cookie: string, shots: Shot[]) {
  const [name, value] = cookie.split("=") as [string, string];
  const saved: string[] = [];
  for (const [device, viewport] of Object.entries(VIEWPORTS)) {
    for (const colorScheme of THEMES) {
      const context = await browser.newContext({ viewport, colorScheme });
      const page = await context.newPage();
      for (const shot of shots) {
        if (shot.signedOut) await context.clearCookies();
        else await context.addCookies([{ name, value, url: server.url }]);
        await page.goto(`${server.url}${shot.path}`);
        await page.waitForLoadState("networkidle");
        const file = `${shot.name}-${device}-${colorScheme}.png`;
        await page.screenshot({ path: path.join(OUT, file) });
        saved.push(file);
      }
      await context.close();
    }
  }
  return saved;
}

async function writeIndex(shots: Shot[]) {
  const cell = (file: string) =>
    `[${file
      .replace(/\.png$/, "")
      .split("-")
      .slice(-2)
      .join(" ")}](${file})`;
  const rows = shots.map(({ name, title, path: pagePath, route }) => {
    const files = Object.keys(VIEWPORTS).flatMap((d) => THEMES.map((t) => `${name}-${d}-${t}.png`));
    return `| ${title} (\`${route ?? pagePath.replace(/[?#].*$/, "")}\`) | ${files.map(cell).join(" · ")} |`;
  });
  const markdown = [
    "# Screenshots",
    "",
    "Made by `npm run docs:screenshots` (scripts/screenshots.ts) from the demo data: every page at",
    "1440×900 (desktop) and 390×844 (mobile), in the light and the dark theme. Do not edit by hand.",
    "",
    "| page | shots |",
    "| ---- | ----- |",
    ...rows,
    "",
  ].join("\n");
  // Formatted as `npm run check` expects.
  writeFileSync(path.join(OUT, "README.md"), await format(markdown, { parser: "markdown" }));
}

// The browser first: a console started before a browser that fails to launch would be left running.
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
const server = await startConsole({
  port: Number(process.env.SHOTS_PORT ?? 3400),
  env: process.env.SHOTS_PG_PORT ? { INSIGHTS_PG_PORT: process.env.SHOTS_PG_PORT } : {},
}).catch(async (err) => {
  await browser.close();
  throw err;
});
try {
  const cookie = await signIn(server.url, "bench@example.com", "bench-password-123");
  const [name, value] = cookie.split("=") as [string, string];
  const setup = await browser.newContext();
  await setup.addCookies([{ name, value, url: server.url }]);
  const { keyPath, exceptionPath, fixPath } = await prepare(server, await setup.newPage());
  await setup.close();

  const shots: Shot[] = [
    { name: "overview", title: "Overview", path: "/" },
    { name: "key-rotation", title: "Key rotation", path: "/insights/kms-key-rotation" },
    {
      name: "key-rotation-filtered",
      title: "Key rotation, filtered",
      path: "/insights/kms-key-rotation?severity=CRITICAL&severity=WARNING&tag=Environment",
    },
    { name: "key", title: "A key", path: keyPath, route: "/keys/[id]" },
    { name: "compliance", title: "Compliance", path: "/compliance" },
    { name: "exceptions", title: "Exceptions", path: "/exceptions" },
    { name: "exception", title: "An exception", path: exceptionPath, route: "/exceptions/[id]" },
    { name: "exception-new", title: "New exception", path: "/exceptions/new" },
    { name: "fixes", title: "Fixes", path: "/fixes" },
    { name: "fix", title: "A fix plan", path: fixPath, route: "/fixes/[id]" },
    { name: "views", title: "Saved views", path: "/views" },
    { name: "scans", title: "Scans", path: "/scans" },
    { name: "coverage", title: "Coverage", path: "/coverage" },
    { name: "api-tokens", title: "API tokens", path: "/tokens" },
    { name: "api", title: "API", path: "/api-docs" },
    { name: "accounts", title: "Accounts", path: "/accounts" },
    {
      name: "accounts-filtered",
      title: "Accounts, filtered and paged",
      path: "/accounts?status=enabled&organization=none&pageSize=25",
    },
    { name: "organizations", title: "Organizations", path: "/organizations" },
    { name: "users", title: "Users", path: "/users" },
    { name: "audit", title: "Audit log", path: "/audit" },
    { name: "alerts", title: "Alerts", path: "/alerts" },
    { name: "alert-deliveries", title: "Alert delivery log", path: "/alerts/deliveries" },
    { name: "settings", title: "Settings", path: "/settings" },
    { name: "not-found", title: "Page not found", path: "/no-such-page" },
    { name: "login", title: "Sign in", path: "/login", signedOut: true },
  ];
  mkdirSync(OUT, { recursive: true });
  for (const old of readdirSync(OUT)) if (old.endsWith(".png")) rmSync(path.join(OUT, old));
  const saved = await shoot(browser, server, cookie, shots);
  await writeIndex(shots);
  console.log(`Saved ${saved.length} screenshots and README.md in ${OUT}/`);
} finally {
  await browser.close();
  await server.stop();
}
