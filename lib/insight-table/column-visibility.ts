import { DEFAULT_SHOWN, TABLE_COLUMNS, type TableColumnId } from "./screen-columns";

// Which columns of the insight table show: a preference of the browser (kept in localStorage by the
// page), not part of the view. Stored as { hidden, known }: the columns hidden, and every column the
// table had when the choice was saved, so that a column added later takes its default instead of
// showing to everyone who ever changed a column. A plain array is the form saved before `known`
// existed: it listed hidden columns out of those before the triage columns (and before Key).

export type ColumnVisibility = Record<string, boolean>;

const TRIAGE_COLUMNS: readonly TableColumnId[] = ["status", "firstSeen", "openFor", "due"];
const ALL = TABLE_COLUMNS.map((c) => c.id as string);

function visibility(hidden: readonly string[], known: readonly string[]): ColumnVisibility {
  return Object.fromEntries(
    ALL.map((id) => [
      id,
      known.includes(id) ? !hidden.includes(id) : DEFAULT_SHOWN.includes(id as TableColumnId),
    ]),
  );
}

export const DEFAULT_VISIBILITY: ColumnVisibility = visibility([], []);

const strings = (value: unknown): string[] | null =>
  Array.isArray(value) && value.every((v) => typeof v === "string") ? value : null;

/** The visibility a stored value means; the defaults for a value that is absent or not ours. */
export function readColumnVisibility(stored: string | null): ColumnVisibility {
  if (stored === null) return DEFAULT_VISIBILITY;
  let value: unknown;
  try {
    value = JSON.parse(stored);
  } catch {
    return DEFAULT_VISIBILITY;
  }
  const legacy = strings(value);
  if (legacy)
    return visibility(
      legacy,
      ALL.filter((id) => id !== "key" && !TRIAGE_COLUMNS.includes(id as TableColumnId)),
    );
  if (typeof value === "object" && value !== null) {
    const hidden = strings((value as { hidden?: unknown }).hidden);
    const known = strings((value as { known?: unknown }).known);
    if (hidden && known) return visibility(hidden, known);
  }
  return DEFAULT_VISIBILITY;
}

/** What to store for a visibility (columns it does not mention keep their current default). */
export function storedColumnVisibility(next: ColumnVisibility): string {
  const hidden = ALL.filter((id) => next[id] === false);
  return JSON.stringify({ hidden, known: ALL });
}
