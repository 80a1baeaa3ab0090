import type { z } from "zod";

// What the URL filters of a page, its CSV route and the CLI share before each parses its own fields.

/** A page's `searchParams`, or the `URLSearchParams` of a route or the CLI. */
export type QueryParams = URLSearchParams | Record<string, string | string[] | undefined>;

/** Every name-value pair, a name given several times once per value. */
export function queryEntries(params: QueryParams): [string, string][] {
  if (params instanceof URLSearchParams) return [...params.entries()];
  return Object.entries(params).flatMap(([name, value]) =>
    value === undefined
      ? []
      : (Array.isArray(value) ? value : [value]).map((v): [string, string] => [name, v]),
  );
}

/** Long or odd values are quoted short in notices, with control characters escaped. */
export function quoteForNotice(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}

/** A value of a field that its schema refused. */
export interface RefusedField<F extends string> {
  field: F;
  value: string;
  message: string;
}

/**
 * Parses each known field's first non-empty value with its schema. Unknown names, repeated fields and
 * refused values are each explained in a notice (in that order per field), never thrown.
 */
export function parseQueryFields<F extends string>(
  params: QueryParams,
  fields: Record<F, z.ZodType>,
): { parsed: Partial<Record<F, unknown>>; notices: string[]; refused: RefusedField<F>[] } {
  const notices: string[] = [];
  const refused: RefusedField<F>[] = [];
  const given = new Map<F, string[]>();
  for (const [name, value] of queryEntries(params)) {
    if (!Object.hasOwn(fields, name)) notices.push(`Ignored unknown parameter ${quoteForNotice(name)}.`);
    // An empty field is what the filter form sends for "any".
    else if (value.trim() !== "") given.set(name as F, [...(given.get(name as F) ?? []), value]);
  }
  const parsed: Partial<Record<F, unknown>> = {};
  for (const [field, values] of given) {
    if (values.length > 1)
      notices.push(`Parameter "${field}" was given ${values.length} times; used the first.`);
    const result = fields[field].safeParse(values[0]);
    if (result.success) parsed[field] = result.data;
    else {
      const message = result.error.issues[0]?.message ?? "invalid";
      notices.push(`Ignored ${field} ${quoteForNotice(values[0]!)}: ${message}.`);
      refused.push({ field, value: values[0]!, message });
    }
  }
  return { parsed, notices, refused };
}
