import { paginateLookupEvents, type CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import { toKeyChange, type KeyChange } from "./key-changes";

const DAY_MS = 86_400_000;
/** CloudTrail's event history keeps 90 days. */
export const HISTORY_DAYS = 90;
/**
 * LookupEvents by resource also returns a key's Encrypt/Decrypt calls: a busy key has many pages.
 * At most this many (50 events each) are read; the changes among them are kept.
 */
export const MAX_PAGES = 20;

export interface KeyChangeLookup {
  changes: KeyChange[];
  /** True when MAX_PAGES were read and CloudTrail had more: older changes may be missing. */
  truncated: boolean;
}

/** The key's changes over the last 90 days, newest first, from LookupEvents ResourceName = key ARN. */
export async function lookupKeyChanges(
  client: CloudTrailClient,
  keyArn: string,
  region: string,
  now = new Date(),
): Promise<KeyChangeLookup> {
  const changes: KeyChange[] = [];
  const seen = new Set<string>();
  let pages = 0;
  const paginator = paginateLookupEvents(
    { client, pageSize: 50 },
    {
      LookupAttributes: [{ AttributeKey: "ResourceName", AttributeValue: keyArn }],
      StartTime: new Date(now.getTime() - HISTORY_DAYS * DAY_MS),
      EndTime: now,
    },
  );
  for await (const page of paginator) {
    pages += 1;
    for (const event of page.Events ?? []) {
      const change = toKeyChange(event, region);
      if (change && !seen.has(change.eventId)) {
        seen.add(change.eventId);
        changes.push(change);
      }
    }
    if (pages >= MAX_PAGES) return { changes: newestFirst(changes), truncated: page.NextToken !== undefined };
  }
  return { changes: newestFirst(changes), truncated: false };
}

const newestFirst = (changes: KeyChange[]) =>
  changes.sort((a, b) => b.eventTime.getTime() - a.eventTime.getTime());
