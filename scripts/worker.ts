// `npm run worker`: a scan worker on another machine, against the same DATABASE_URL.
import { runWorker } from "@/lib/server/worker";

runWorker().catch((err: unknown) => {
  console.error(`KMS Insights worker could not start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
