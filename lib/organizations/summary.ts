import { z } from "zod";

// The last sync's counts as stored on the organization (JSON) and as a sentence, read back through
// one schema so that a row written by an older version reads as "no summary", never an error.

const storedSummary = z.object({
  listed: z.number(),
  added: z.number(),
  updated: z.number(),
  suspended: z.number(),
  left: z.number(),
  excluded: z.number(),
  regionErrors: z.number().default(0),
  durationMs: z.number().default(0),
  problems: z.array(z.string()).default([]),
});

export type StoredSyncSummary = z.infer<typeof storedSummary>;

export function readSyncSummary(json: unknown): StoredSyncSummary | null {
  const parsed = storedSummary.safeParse(json);
  return parsed.success ? parsed.data : null;
}

const n = (count: number, one: string, many = `${one}s`) =>
  `${count.toLocaleString("en-US")} ${count === 1 ? one : many}`;

/** "1,000 accounts listed: 3 added, 2 updated, 1 suspended or closed, 1 left, 40 excluded by an OU rule." */
export function describeSyncSummary(s: StoredSyncSummary): string {
  const parts = [
    `${s.added} added`,
    `${s.updated} updated`,
    `${s.suspended} suspended or closed`,
    `${s.left} left the organization`,
    `${s.excluded} excluded by an OU rule`,
    ...(s.regionErrors ? [`${n(s.regionErrors, "account")} whose regions could not be read`] : []),
  ];
  return `${n(s.listed, "account")} listed: ${parts.join(", ")}.`;
}
