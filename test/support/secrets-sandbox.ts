import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {
  generateEstate,
  keysIn,
  sandboxEnvironment,
  startSandbox,
  type RunningSandbox,
} from "@/lib/kms-sandbox";

/**
 * For the secrets tests: a KMS sandbox over HTTP, the SDK's default settings pointed at it through
 * the environment (endpoint, credentials, region: exactly what an operator would set), an enabled
 * symmetric key to encrypt with, and an empty data directory. `stop()` puts the environment back.
 */
export async function kmsSandboxFixture() {
  const region = "eu-west-1";
  const sandbox: RunningSandbox = await startSandbox({
    estate: generateEstate({ accounts: 1, regions: [region], keysPerRegion: 25, seed: 7 }),
  });
  const accountId = sandbox.estate.accounts[0]!.id;
  const byScenario = (scenario: string) =>
    keysIn(sandbox.estate, accountId, region).find((k) => k.scenario === scenario)!;
  const key = byScenario("rotation-enabled-default").metadata;
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "insights-secrets-"));
  const env = { ...sandboxEnvironment(sandbox.url, accountId, region), INSIGHTS_DATA_DIR: dataDir };
  const saved = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
  Object.assign(process.env, env);
  return {
    sandbox,
    region,
    key,
    disabledKey: byScenario("disabled-rotation-off").metadata,
    dataDir,
    /** The variables a spawned CLI needs to reach the sandbox. */
    env,
    async stop() {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      await sandbox.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
