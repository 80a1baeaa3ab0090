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
