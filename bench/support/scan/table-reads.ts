import type { PrismaClient } from "@/lib/generated/prisma/client";

// How a scan read kms_keys (pg_stat_user_tables): sequential scans mean a plan that does not use
// the table's indexes, which costs more with every key stored; a scan's writes should look keys up
// by index. Read them after the scan's sessions have ended: a session reports its statistics
// when idle, in batches, and at its end.

interface Reads {
  seqScans: number;
  seqRows: number;
  indexScans: number;
}

export async function readKmsKeyReads(db: PrismaClient): Promise<Reads> {
  const [row] = await db.$queryRawUnsafe<{ seq: bigint; rows: bigint; idx: bigint }[]>(
    `SELECT seq_scan AS seq, seq_tup_read AS rows, coalesce(idx_scan, 0) AS idx
       FROM pg_stat_user_tables WHERE relname = 'kms_keys'`,
  );
  return {
    seqScans: Number(row?.seq ?? 0),
    seqRows: Number(row?.rows ?? 0),
    indexScans: Number(row?.idx ?? 0),
  };
}

/** The reads between two readings. */
export const readsBetween = (a: Reads, b: Reads): Reads => ({
  seqScans: b.seqScans - a.seqScans,
  seqRows: b.seqRows - a.seqRows,
  indexScans: b.indexScans - a.indexScans,
});
