import type { PrismaClient } from "@/lib/generated/prisma/client";
import { dataDir, parseEnv } from "@/lib/config/env";
import { demoSandboxFile, readDemoSandbox } from "@/lib/config/demo-sandbox";
import { SCANNED_ACCOUNTS } from "@/lib/collector/scan";

// Demo accounts are served by the KMS sandbox that `npm start` runs in demo mode; a scan started
// from the command line reaches it through the address file that `npm start` writes (see
// lib/config/demo-sandbox.ts). Without a sandbox that answers, scanning them could only fail:
// the scan leaves them out and says why, and refuses when nothing else is left.

const PROBE_MS = 3_000;

/** Whether anything answers HTTP at the address: the sandbox answers every request. */
async function answers(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(PROBE_MS) });
    return true;
  } catch {
    return false;
  }
}

/** Why the demo accounts cannot be scanned now, or null when they can. */
async function demoSandboxProblem(
  accounts: { id: string; endpointUrl: string | null }[],
): Promise<string | null> {
  const dir = dataDir(parseEnv());
  const sandbox = readDemoSandbox(dir);
  if (!sandbox) {
    return (
      `no demo KMS sandbox runs for the data directory ${dir} (it runs with \`npm start\` in demo mode, ` +
      "which must use the same INSIGHTS_DATA_DIR)"
    );
  }
  const missing = accounts.filter((a) => !sandbox.credentials[a.id]).map((a) => a.id);
  if (missing.length) return `the running demo sandbox does not serve account(s) ${missing.join(", ")}`;
  for (const url of new Set(accounts.map((a) => a.endpointUrl ?? sandbox.url))) {
    if (!(await answers(url))) {
      return (
        `the demo KMS sandbox at ${url} does not answer (did \`npm start\` stop without removing ` +
        `${demoSandboxFile(dir)}?)`
      );
    }
  }
  return null;
}

/**
 * The accounts a command-line scan covers: all enabled ones (or those asked for), less the demo
 * accounts when their sandbox cannot be reached, with a notice saying so. Throws when only demo
 * accounts were to be scanned and their sandbox is not there.
 */
export async function accountsToScan(
  db: PrismaClient,
  requested: string[] | undefined,
): Promise<{ accountIds: string[] | undefined; notice?: string }> {
  const accounts = await db.awsAccount.findMany({
    where: { ...SCANNED_ACCOUNTS, ...(requested ? { id: { in: requested } } : {}) },
    select: { id: true, accessMethod: true, endpointUrl: true },
    orderBy: { id: "asc" },
  });
  const demo = accounts.filter((a) => a.accessMethod === "SANDBOX");
  if (!demo.length) return { accountIds: requested };
  const problem = await demoSandboxProblem(demo);
  if (!problem) return { accountIds: requested };
  const others = accounts.filter((a) => a.accessMethod !== "SANDBOX").map((a) => a.id);
  const names = demo.map((a) => a.id).join(", ");
  if (!others.length) {
    throw new Error(
      `Not scanning: the demo account(s) ${names} are served by the demo KMS sandbox, and ${problem}. ` +
        "Start the console with `npm start`, then scan again.",
    );
  }
  return { accountIds: others, notice: `Leaving out the demo account(s) ${names}: ${problem}.` };
}
