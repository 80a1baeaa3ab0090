// `npm start`: everything a first run needs, then the console. See lib/server/console.ts.
import { runConsole } from "@/lib/server/console";

runConsole({ dev: process.argv.includes("--dev") }).catch((err: unknown) => {
  console.error(`\nKMS Insights could not start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
