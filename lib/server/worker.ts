// A scan worker runs in this process: collect garbage early (see heap.ts).
import "@/lib/collector/heap";
import { parseEnv, silenceSdkNodeNotice } from "@/lib/config/env";
import { startWorker } from "@/lib/collector/queue";
import { logger } from "@/lib/log";
import { prepareDatabase } from "./prepare";

/** A standalone scan worker (and scheduler): scale-out by running this on more machines. */
export async function runWorker(): Promise<void> {
  const env = parseEnv();
  if (!env.DATABASE_URL) {
    throw new Error("DATABASE_URL is not set: a separate worker needs the shared PostgreSQL of the console.");
  }
  const sdkNote = silenceSdkNodeNotice();
  if (sdkNote) console.log(sdkNote);
  const prepared = await prepareDatabase(env, { attach: true });
  const worker = await startWorker(prepared.prisma, prepared.db.url, { schedule: true });
  logger.info("worker started");
  console.log("KMS Insights worker running; press Ctrl+C to stop.");
  const stop = async () => {
    await worker.stop();
    await prepared.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
}
