import { appliedFilters, type ChipNames, type FilterDef, type FilterField, isSet } from "./filter-defs";
import type { InsightFilters } from "./filters";
import { insightTableHref } from "./table-href";

// The active filters as chips above the table, each read from its definition (filter-defs'
// `chip`): "Severity: Critical, Warning", "Tag: env = prod", "Overdue". A filter that requires
// another reads in that one's chip, and goes with it. A filter at its default (no severity or
// status chosen) has no chip: the default view is no filter.

export interface FilterChip {
  /** The filter's URL parameter. */
  param: string;
  text: string;
  /** The view without this filter (nor those that require it), from its first page. */
  href: string;
}

function valuesText(def: FilterDef<FilterField>, value: unknown, names: ChipNames): string | null {
  const items = def.many ? (value as unknown[]) : [value];
  const words = items.map((item) => (def.chip.item ? def.chip.item(item, names) : String(item)));
  return words.includes(null) ? null : words.join(", ");
}

export function filterChips(filters: InsightFilters, names: ChipNames): FilterChip[] {
  const applied = appliedFilters(filters);
  return applied
    .filter(([def, value]) => def.requires === undefined && isSet(value))
    .map(([def, value]) => {
      const followers = applied.filter(([other]) => other.requires === def.param);
      const own = valuesText(def, value, names);
      let text = own === null ? def.chip.label : `${def.chip.label}: ${own}`;
      for (const [follower, followerValue] of followers) {
        const words = isSet(followerValue) ? valuesText(follower, followerValue, names) : follower.chip.unset;
        if (words) text += ` ${follower.chip.join} ${words}`;
      }
      const cleared = Object.fromEntries([def, ...followers.map(([f]) => f)].map((d) => [d.field, d.empty]));
      return { param: def.param, text, href: insightTableHref({ ...filters, ...cleared, page: 1 }) };
    });
}
