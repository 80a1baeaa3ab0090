export * from "./estate";
export { sandboxCredentialsFor } from "./credentials";
export { sandboxEnvironment } from "./client-config";
export { startSandbox, type RunningSandbox } from "./server";
export type { SandboxStats } from "./stats";
export { runSandboxCli } from "./cli";
