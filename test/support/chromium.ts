// Debian's Chromium as every browser this project drives starts it (the e2e tests, bench:browser,
// the screenshots): no browser download works on these machines, and their network is closed
// (without the background-networking flags Chromium's own connections are refused, many at a time).
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-quic",
  "--no-first-run",
  "--disable-sync",
];
