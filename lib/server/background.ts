import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { Env } from "@/lib/config/env";

// What runs beside the web server in `npm start`: the scan worker and scheduler, and the demo
// sandbox when no AWS account is configured. Filled in by the collector.
export interface Background {
  /** Extra environment for the web server process. */
  env: Record<string, string>;
  describe(): string[];
  stop(): Promise<void>;
}

export async function startBackground(_opts: {
  env: Env;
  prisma: PrismaClient;
  databaseUrl: string;
}): Promise<Background> {
  return { env: {}, describe: () => [], stop: async () => {} };
}
