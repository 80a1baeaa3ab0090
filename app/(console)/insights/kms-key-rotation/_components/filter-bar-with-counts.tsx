import type { AccountScope } from "@/lib/auth/account-scope";
import { prisma } from "@/lib/db";
import { fetchFacets } from "@/lib/insight-table/facets";
import type { InsightFilters } from "@/lib/insight-table/filters";
import { fetchTagValues } from "@/lib/insight-table/query";
import { FilterBar, type FilterChoices } from "./filter-bar";

/**
 * The filter bar with each option's count. Rendered in a Suspense of its own (the bar without counts
 * as its fallback), so that the counts never hold the table back.
 */
export async function FilterBarWithCounts({
  filters,
  scope,
  choices,
}: {
  filters: InsightFilters;
  scope: AccountScope;
  choices: Omit<FilterChoices, "tagValues">;
}) {
  const facets = await fetchFacets(prisma, filters, scope);
  // The values the other filters leave, from their counts; every value when those are missing.
  const tagValues =
    filters.tag === null
      ? []
      : facets?.tagValues
        ? Object.keys(facets.tagValues).sort()
        : await fetchTagValues(prisma, filters.tag, scope);
  return <FilterBar filters={filters} choices={{ ...choices, tagValues }} facets={facets} />;
}
