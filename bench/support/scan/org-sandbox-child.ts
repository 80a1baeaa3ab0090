// The organization benchmark's sandbox in its own process (so that its CPU and memory are not the
// syncing process's): generates the organization estate, serves it, answers "ready" over IPC, and
// stops on "stop".
import { generateEstate, startSandbox } from "@/lib/kms-sandbox";
import { neededCalls } from "./estate";

export interface OrgSandboxConfig {
  accounts: number;
  ous: number;
  regions: string[];
  keysPerRegion: number;
  latencyMs: number;
  seed: string;
}

export interface OrgSandboxReady {
  type: "ready";
  url: string;
  managementId: string;
  memberRoleName: string;
  memberExternalId: string;
  keys: number;
  kmsCalls: number;
}

try {
  const config = JSON.parse(process.argv[2]!) as OrgSandboxConfig;
  const estate = generateEstate({
    accounts: config.accounts,
    regions: config.regions,
    keysPerRegion: config.keysPerRegion,
    seed: config.seed,
    organization: { ous: config.ous, depth: 3 },
  });
  const org = estate.organization!;
  const sandbox = await startSandbox({ estate, faults: { latencyMs: config.latencyMs } });
  const { calls, keys } = neededCalls(estate);
  process.on("message", async (message: { type: string }) => {
    if (message.type === "stop") {
      await sandbox.stop();
      process.exit(0);
    }
  });
  process.send!({
    type: "ready",
    url: sandbox.url,
    managementId: org.managementAccountId,
    memberRoleName: org.memberRole.roleName,
    memberExternalId: org.memberRole.externalId,
    keys,
    kmsCalls: calls.total,
  } satisfies OrgSandboxReady);
} catch (err) {
  process.send!({ type: "error", message: err instanceof Error ? err.message : String(err) });
}
