import { z } from "zod";
import { parseQueryFields, type QueryParams } from "@/lib/query-params";

// The audit log's filters as they travel in the URL; one parser for the page and the CSV route.
// It never throws: a value it cannot use is dropped and explained in a notice.

export interface AuditFilters {
  /** An exact action (`user.disable`), or a family ending in a dot (`user.`). */
  action: string | null;
  /** Part of the actor's email, any case. */
  actor: string | null;
  /** Part of the target, any case. */
  target: string | null;
  /** UTC days, `YYYY-MM-DD`, both included. */
  from: string | null;
  to: string | null;
  page: number;
}

export const EMPTY_AUDIT_FILTERS: AuditFilters = {
  action: null,
  actor: null,
  target: null,
  from: null,
  to: null,
  page: 1,
};

const noNul = (s: string) => !s.includes("\0");
const text = (max: number) =>
  z.string().trim().max(max, `longer than ${max} characters`).refine(noNul, "contains a NUL character");

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "use a date like 2026-11-30")
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
  }, "not a calendar date");

const FIELDS = {
  action: z.string().regex(/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*\.?$/, "not an action name"),
  actor: text(254),
  target: text(256),
  from: day,
  to: day,
  page: z
    .string()
    .regex(/^[1-9]\d{0,8}$/, "must be a whole number from 1")
    .transform(Number),
};
type Field = keyof typeof FIELDS;
/** The filter form's fields. */
export type AuditFilterField = Exclude<Field, "page">;

/** A value the parser could not use, for the filter form to show back beside its field. */
export interface RefusedFilter {
  value: string;
  message: string;
}

/** Why `to` cannot end a range starting `from` (both YYYY-MM-DD), or null. */
export function auditRangeError(from: string | null, to: string | null): string | null {
  return from && to && to < from ? `it is before from "${from}"` : null;
}

export function parseAuditFilters(params: QueryParams): {
  filters: AuditFilters;
  notices: string[];
  refused: Partial<Record<AuditFilterField, RefusedFilter>>;
} {
  const { parsed, notices, refused: refusals } = parseQueryFields(params, FIELDS);
  const refused: Partial<Record<AuditFilterField, RefusedFilter>> = {};
  for (const { field, value, message } of refusals) if (field !== "page") refused[field] = { value, message };
  const filters = { ...EMPTY_AUDIT_FILTERS, ...parsed } as AuditFilters;
  const range = auditRangeError(filters.from, filters.to);
  if (range && filters.to) {
    notices.push(`Ignored to "${filters.to}": ${range}.`);
    refused.to = { value: filters.to, message: range };
    filters.to = null;
  }
  return { filters, notices: notices.slice(0, 10), refused };
}

/** The canonical URL form: empty filters and page 1 are left out. */
export function toAuditSearchParams(filters: AuditFilters): URLSearchParams {
  const params = new URLSearchParams();
  for (const field of ["action", "actor", "target", "from", "to"] as const) {
    const value = filters[field];
    if (value) params.set(field, value);
  }
  if (filters.page > 1) params.set("page", String(filters.page));
  return params;
}
