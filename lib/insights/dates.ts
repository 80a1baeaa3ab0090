export const DAY_MS = 86_400_000;

/** A Date that holds a real instant; an Invalid Date counts as absent. */
export function validDate(date: Date | null | undefined): Date | null {
  return date instanceof Date && !Number.isNaN(date.getTime()) ? date : null;
}

/** `yyyy-mm-dd` in UTC, "" for a missing or invalid date. */
export function isoDate(date: Date | null | undefined): string {
  return validDate(date)?.toISOString().slice(0, 10) ?? "";
}

/** Full ISO 8601 in UTC (`2026-11-30T08:15:00.000Z`), "" for a missing or invalid date. */
export function isoDateTime(date: Date | null | undefined): string {
  return validDate(date)?.toISOString() ?? "";
}

export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * DAY_MS);
}
