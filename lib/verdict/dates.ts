import { recurring } from "./recurring";

export const DAY_MS = 86_400_000;

/** A Date that holds a real instant; an Invalid Date counts as absent. */
export function validDate(date: Date | null | undefined): Date | null {
  return date instanceof Date && !Number.isNaN(date.getTime()) ? date : null;
}

// An export formats three dates a key, a million keys, but the instants recur: each is formatted once.
const dateText = recurring((time: number) => new Date(time).toISOString().slice(0, 10));
const dateTimeText = recurring((time: number) => new Date(time).toISOString());

/** `yyyy-mm-dd` in UTC, "" for a missing or invalid date. */
export function isoDate(date: Date | null | undefined): string {
  const valid = validDate(date);
  return valid ? dateText(valid.getTime()) : "";
}

/** Full ISO 8601 in UTC (`2026-11-30T08:15:00.000Z`), "" for a missing or invalid date. */
export function isoDateTime(date: Date | null | undefined): string {
  const valid = validDate(date);
  return valid ? dateTimeText(valid.getTime()) : "";
}

export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * DAY_MS);
}
