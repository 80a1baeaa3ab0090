import type { Event } from "@aws-sdk/client-cloudtrail";
import { z } from "zod";

// The KMS management events "Who changed it" shows, and how one CloudTrail event becomes a row.
// CloudTrail's answer is untrusted input: parsed here, an event it cannot use is left out.

export const KEY_CHANGE_EVENTS = [
  "EnableKeyRotation",
  "DisableKeyRotation",
  "CreateKey",
  "DisableKey",
  "EnableKey",
  "ScheduleKeyDeletion",
  "CancelKeyDeletion",
  "PutKeyPolicy",
] as const;
export type KeyChangeEventName = (typeof KEY_CHANGE_EVENTS)[number];

export interface KeyChange {
  eventId: string;
  eventName: KeyChangeEventName;
  eventTime: Date;
  region: string;
  /** The userIdentity ARN (or the service, or the user name when the record has no ARN). */
  principalArn: string | null;
  sourceAddress: string | null;
  /** EnableKeyRotation: the period asked for (null when the call named none: 365 days). */
  rotationPeriodDays: number | null;
}

const text = z.string().min(1).max(2048);
const recordSchema = z.looseObject({
  awsRegion: text.optional().catch(undefined),
  sourceIPAddress: text.optional().catch(undefined),
  userIdentity: z
    .looseObject({
      type: z.string().optional().catch(undefined),
      arn: text.optional().catch(undefined),
      invokedBy: text.optional().catch(undefined),
      principalId: text.optional().catch(undefined),
    })
    .optional()
    .catch(undefined),
  requestParameters: z
    .looseObject({ rotationPeriodInDays: z.number().int().min(1).max(100_000).optional().catch(undefined) })
    .nullish()
    .catch(undefined),
});

function parseRecord(json: string | undefined): z.infer<typeof recordSchema> {
  if (!json) return {};
  try {
    return recordSchema.catch({}).parse(JSON.parse(json));
  } catch {
    return {};
  }
}

const isKeyChange = (name: string | undefined): name is KeyChangeEventName =>
  (KEY_CHANGE_EVENTS as readonly string[]).includes(name ?? "");

/** One LookupEvents entry as a key change, or null when it is not one (or lacks its id or time). */
export function toKeyChange(event: Event, askedRegion: string): KeyChange | null {
  if (!isKeyChange(event.EventName) || !event.EventId || !(event.EventTime instanceof Date)) return null;
  if (Number.isNaN(event.EventTime.getTime()) || event.EventId.length > 200) return null;
  const record = parseRecord(event.CloudTrailEvent);
  const who = record.userIdentity;
  return {
    eventId: event.EventId,
    eventName: event.EventName,
    eventTime: event.EventTime,
    region: record.awsRegion ?? askedRegion,
    principalArn: who?.arn ?? who?.invokedBy ?? event.Username?.slice(0, 2048) ?? who?.principalId ?? null,
    sourceAddress: record.sourceIPAddress ?? null,
    rotationPeriodDays:
      event.EventName === "EnableKeyRotation"
        ? (record.requestParameters?.rotationPeriodInDays ?? null)
        : null,
  };
}

/** The event in words, for the table ("Rotation turned off"). */
export function keyChangeInWords(change: Pick<KeyChange, "eventName" | "rotationPeriodDays">): string {
  switch (change.eventName) {
    case "EnableKeyRotation":
      return `Rotation turned on, every ${change.rotationPeriodDays ?? 365} days`;
    case "DisableKeyRotation":
      return "Rotation turned off";
    case "CreateKey":
      return "Key created";
    case "DisableKey":
      return "Key disabled";
    case "EnableKey":
      return "Key enabled";
    case "ScheduleKeyDeletion":
      return "Deletion scheduled";
    case "CancelKeyDeletion":
      return "Deletion cancelled";
    case "PutKeyPolicy":
      return "Key policy changed";
  }
}
