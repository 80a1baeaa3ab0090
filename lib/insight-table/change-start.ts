import { Prisma } from "@/lib/generated/prisma/client";
import type { AccountScope } from "@/lib/auth/account-scope";
import { changeStartToRead, type FilterValues } from "./filter-defs";

// A change filter that counts from a scan (by default the previous one) reads that scan's start
// first, in one small query, and its queries then compare with that instant as a parameter (see
// changeStart in ./filter-defs): the page, its total, the filter counts and the export plan for the
// few keys that changed since, not for a third of the table. The instant is the one the subquery
// would give, as PostgreSQL's text (exact to the microsecond); the comparison stays strict.

/** A query's rows, through whichever connection the caller reads with. */
export type ReadRows = <T>(query: Prisma.Sql) => Promise<T[]>;

/** The filters with the instant their change filter counts from read (as they are when none is to read). */
export async function withChangeStart<F extends FilterValues>(
  read: ReadRows,
  filters: F,
  scope: AccountScope,
): Promise<F> {
  const instant = changeStartToRead(filters, scope, Prisma.sql);
  if (instant === null) return filters;
  const [row] = await read<{ after: string }>(Prisma.sql`SELECT (${instant})::text AS after`);
  return { ...filters, changeAfter: row!.after };
}
