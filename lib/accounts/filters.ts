import { z } from "zod";
import { DEFAULT_PAGE_SIZE, PAGE_SIZES, type PageSize } from "@/lib/insight-table/filters";
import { parseQueryFields, type QueryParams } from "@/lib/query-params";

// The Accounts page's filters and page as they travel in the URL. It never throws: a value it
// cannot use is dropped and explained in a notice, and the page shows the accounts without it.

/** What an account's status filter picks: scanning, disabled, or one reason it is not scanned. */
export const ACCOUNT_STATUSES = {
  enabled: "Enabled",
  disabled: "Disabled",
  suspended: "Suspended or closed",
  left: "Left the organization",
  excluded: "Excluded by rule",
} as const;
export type AccountStatusFilter = keyof typeof ACCOUNT_STATUSES;

export interface AccountFilters {
  /** Part of the account's id, name or email, any case. */
  q: string | null;
  /** An organization's id, or "none" for accounts added by hand. */
  organization: string | null;
  /** An OU or root id: the accounts under it (its children's too). */
  ou: string | null;
  status: AccountStatusFilter | null;
  page: number;
  pageSize: PageSize;
}

export const EMPTY_ACCOUNT_FILTERS: AccountFilters = {
  q: null,
  organization: null,
  ou: null,
  status: null,
  page: 1,
  pageSize: DEFAULT_PAGE_SIZE,
};

const FIELDS = {
  q: z
    .string()
    .trim()
    .max(100, "longer than 100 characters")
    .refine((s) => !s.includes("\0"), "contains a NUL character"),
  organization: z.string().regex(/^[\w-]{1,64}$/, "not an organization id"),
  ou: z.string().regex(/^(?:r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[0-9a-z]{8,32})$/, "not an OU or root id"),
  status: z.enum(Object.keys(ACCOUNT_STATUSES) as [AccountStatusFilter, ...AccountStatusFilter[]], {
    message: `use ${Object.keys(ACCOUNT_STATUSES).join(", ")}`,
  }),
  page: z
    .string()
    .regex(/^[1-9]\d{0,8}$/, "must be a whole number from 1")
    .transform(Number),
  pageSize: z
    .string()
    .regex(/^\d{1,3}$/, `use ${PAGE_SIZES.join(", ")}`)
    .transform(Number)
    .refine(
      (n): n is PageSize => (PAGE_SIZES as readonly number[]).includes(n),
      `use ${PAGE_SIZES.join(", ")}`,
    ),
};

export function parseAccountFilters(params: QueryParams): { filters: AccountFilters; notices: string[] } {
  const { parsed, notices } = parseQueryFields(params, FIELDS);
  return {
    filters: { ...EMPTY_ACCOUNT_FILTERS, ...parsed } as AccountFilters,
    notices: notices.slice(0, 10),
  };
}

/** The canonical URL form: empty filters, page 1 and the default page size are left out. */
export function toAccountSearchParams(filters: AccountFilters): URLSearchParams {
  const params = new URLSearchParams();
  for (const field of ["q", "organization", "ou", "status"] as const) {
    const value = filters[field];
    if (value) params.set(field, value);
  }
  if (filters.page > 1) params.set("page", String(filters.page));
  if (filters.pageSize !== DEFAULT_PAGE_SIZE) params.set("pageSize", String(filters.pageSize));
  return params;
}

export function accountsHref(filters: AccountFilters): string {
  const query = toAccountSearchParams(filters).toString();
  return query ? `/accounts?${query}` : "/accounts";
}
