// The console's web server, started by `npm start` (lib/server/console.ts). See lib/server/web.ts.
import { runWebServer } from "@/lib/server/web";

runWebServer({ dev: process.argv.includes("--dev") }).catch((err: unknown) => {
  console.error(`The web server could not start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
