// A scan worker runs in this process: collect garbage early (see heap.ts).
import "@/lib/collector/heap";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { removeDemoSandbox, writeDemoSandbox } from "@/lib/config/demo-sandbox";
import { dataDir, type Env } from "@/lib/config/env";
import { startWorker, type Worker } from "@/lib/collector/queue";
import {
  DEMO_START_ACCOUNTS,
  demoEstate,
  sandboxCredentialsFor,
  startSandbox,
  type RunningSandbox,
} from "@/lib/kms-sandbox";
import { audit } from "@/lib/audit/log";
import { logger } from "@/lib/log";
import { setUpDemoOrganization } from "./demo-organization";

// What runs beside the web server in `npm start`: the scan worker and scheduler, and the demo
// sandbox when no AWS account is configured (or demo accounts remain).
export interface Background {
  describe(): string[];
  stop(): Promise<void>;
}

async function setUpDemo(env: Env, prisma: PrismaClient): Promise<RunningSandbox | null> {
  if (env.INSIGHTS_DEMO === "off") return null;
  const accounts = await prisma.awsAccount.count();
  const demoAccounts = await prisma.awsAccount.count({ where: { isDemo: true } });
  if (accounts > 0 && demoAccounts === 0 && env.INSIGHTS_DEMO !== "on") return null;
  const estate = demoEstate();
  const sandbox = await startSandbox({ estate, port: env.INSIGHTS_SANDBOX_PORT });
  writeDemoSandbox(dataDir(env), {
    url: sandbox.url,
    credentials: Object.fromEntries(estate.accounts.map((a) => [a.id, sandboxCredentialsFor(a.id)])),
  });
  if (accounts === 0) {
    // The demo organization's other accounts are for an organization sync to find.
    const startAccounts = estate.accounts.slice(0, DEMO_START_ACCOUNTS);
    await prisma.$transaction(async (tx) => {
      for (const [i, a] of startAccounts.entries()) {
        // Every demo account but the last may be fixed through the sandbox: the demo shows both cases.
        const fixable = i < startAccounts.length - 1;
        await tx.awsAccount.create({
          data: {
            id: a.id,
            name: a.name,
            regions: estate.regions,
            accessMethod: "SANDBOX",
            isDemo: true,
            remediationMethod: fixable ? "SANDBOX" : null,
          },
        });
      }
      await audit(tx, {
        actorEmail: "system",
        action: "account.create_demo",
        details: { accounts: startAccounts.map((a) => a.id) },
      });
    });
    logger.info({ accounts: startAccounts.length }, "demo accounts created");
  }
  if (estate.organization)
    await setUpDemoOrganization(prisma, estate.organization, {
      create: accounts === 0,
      regions: estate.regions,
    });
  return sandbox;
}

export async function startBackground(opts: {
  env: Env;
  prisma: PrismaClient;
  databaseUrl: string;
}): Promise<Background> {
  const sandbox = await setUpDemo(opts.env, opts.prisma);
  const worker: Worker | null = opts.env.INSIGHTS_WORKER
    ? await startWorker(opts.prisma, opts.databaseUrl, { schedule: true })
    : null;
  return {
    describe: () => [
      worker
        ? "  Scans: worker and scheduler running in this process"
        : "  Scans: no worker here (INSIGHTS_WORKER=off)",
      ...(sandbox
        ? [`  Demo data: KMS sandbox at ${sandbox.url} (add an AWS account to use real data)`]
        : []),
    ],
    async stop() {
      await worker?.stop();
      if (sandbox) removeDemoSandbox(dataDir(opts.env));
      await sandbox?.stop();
    },
  };
}
