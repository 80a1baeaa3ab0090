export const DAY_MS = 86_400_000;

/** A Date that holds a real instant; an Invalid Date counts as absent. */
export function validDate(date: Date | null | undefined): Date | null {
  return date instanceof Date && !Number.isNaN(date.getTime()) ? date : null;
}

// An export formats three dates a key, a million keys, but the values recur (a scan evaluates an
// account-region at one instant; rotations fall on days): each instant is formatted once.
const MEMO_SIZE = 4096;
function memo(format: (date: Date) => string): (date: Date) => string {
  const cache = new Map<number, string>();
  return (date) => {
    const time = date.getTime();
    let text = cache.get(time);
    if (text === undefined) {
      if (cache.size >= MEMO_SIZE) cache.clear();
      cache.set(time, (text = format(date)));
    }
    return text;
  };
}
const dateText = memo((date) => date.toISOString().slice(0, 10));
const dateTimeText = memo((date) => date.toISOString());

/** `yyyy-mm-dd` in UTC, "" for a missing or invalid date. */
export function isoDate(date: Date | null | undefined): string {
  const valid = validDate(date);
  return valid ? dateText(valid) : "";
}

/** Full ISO 8601 in UTC (`2026-11-30T08:15:00.000Z`), "" for a missing or invalid date. */
export function isoDateTime(date: Date | null | undefined): string {
  const valid = validDate(date);
  return valid ? dateTimeText(valid) : "";
}

export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * DAY_MS);
}
