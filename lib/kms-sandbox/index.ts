export * from "./estate";
export { sandboxCredentialsFor, type StaticCredentials } from "./credentials";
export { sandboxClientConfig, sandboxEnvironment } from "./client-config";
export { startSandbox, type RunningSandbox, type StartSandboxOptions } from "./server";
export { sandboxFaultsSchema, type SandboxFaults } from "./faults";
export type { SandboxStats } from "./stats";
export { HOSTILE_TAGS, isHostileTarget } from "./hostile";
export { LIMITS } from "./paging";
export {
  parseSandboxArgs,
  runSandboxCli,
  describeSandbox,
  SandboxUsageError,
  SANDBOX_USAGE,
  type SandboxCliOptions,
} from "./cli";
