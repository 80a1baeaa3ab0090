export interface PageParam {
  page: number;
  /** Set when the URL's page was not a positive integer and page 1 is shown instead. */
  ignored: string | null;
}

/** `?page=` from a search param value: a positive integer, else page 1 and the ignored text. */
export function parsePageParam(value: string | string[] | undefined): PageParam {
  if (value === undefined) return { page: 1, ignored: null };
  const text = Array.isArray(value) ? value.join(",") : value;
  if (/^[1-9]\d{0,8}$/.test(text)) return { page: Number(text), ignored: null };
  return { page: 1, ignored: text };
}
