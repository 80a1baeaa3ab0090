// A text search counts its matches exactly up to SEARCH_COUNT_CAP. Counting every key that holds a
// common word reads most of the table (docs/benchmarks.md, "the common word's search"); past the cap
// the count says "more than" wherever it shows, the pages go by the keyset cursor, and the filter
// bar shows no numbers (a count over the first matches would read like a total). Exports are never
// capped. Plain data: the filter bar (a client component) reads it too.

/** The most matches of a text search that are counted; past it the total is a lower bound. */
export const SEARCH_COUNT_CAP = 1000;

/** A total as the table's header, pager and selection say it: "more than 1,000" when capped. */
export function totalText(total: number, capped: boolean): string {
  return capped ? `more than ${SEARCH_COUNT_CAP.toLocaleString("en-US")}` : total.toLocaleString("en-US");
}
