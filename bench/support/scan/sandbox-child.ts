// The benchmark's sandbox in its own process: started by ./sandbox-host.ts over IPC.
import {
  processUsage,
  serveBenchEstate,
  type ChildReply,
  type ChildRequest,
  type SandboxConfig,
} from "./sandbox-host";

const reply = (message: ChildReply) => process.send!(message);

try {
  const config = JSON.parse(process.argv[2]!) as SandboxConfig;
  const { sandbox, ready } = await serveBenchEstate(config);
  process.on("message", async (request: ChildRequest) => {
    if (request.type === "usage") reply({ type: "usage", stats: sandbox.stats(), ...processUsage() });
    if (request.type === "reset") {
      sandbox.resetStats();
      reply({ type: "reset" });
    }
    if (request.type === "stop") {
      await sandbox.stop();
      process.exit(0);
    }
  });
  reply({ type: "ready", ...ready });
} catch (err) {
  reply({ type: "error", message: err instanceof Error ? err.message : String(err) });
  process.exit(1);
}
