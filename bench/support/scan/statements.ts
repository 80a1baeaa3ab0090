import type { PrismaClient } from "@/lib/generated/prisma/client";
import { int } from "./report";

// `bench:scan -- --organization --pg-statements`: where PostgreSQL's time went during the scan, by
// statement (pg_stat_statements, counting the statements that triggers and functions run as well as
// the worker's own, so a nested statement's time is also inside its caller's). Elapsed time, lock
// waits included: a statement far above its share of the CPU is waiting on others.

export async function resetStatements(db: PrismaClient): Promise<void> {
  await db.$executeRawUnsafe("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
  await db.$queryRawUnsafe("SELECT pg_stat_statements_reset()::text");
}

export async function printStatements(db: PrismaClient, limit = 20): Promise<void> {
  const rows = await db.$queryRawUnsafe<{ text: string; calls: bigint; ms: number; rows: bigint }[]>(
    `SELECT left(regexp_replace(query, '\\s+', ' ', 'g'), 110) AS text, calls,
            total_exec_time + total_plan_time AS ms, rows
       FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat_statements%'
      ORDER BY ms DESC LIMIT ${Number(limit)}`,
  );
  console.log(`\nPostgreSQL's statements during the scan (elapsed ms, calls, rows; nested ones included):`);
  for (const r of rows) {
    console.log(
      `  ${r.ms.toFixed(0).padStart(8)} ${int(Number(r.calls)).padStart(9)} ${int(Number(r.rows)).padStart(9)}  ${r.text}`,
    );
  }
}
