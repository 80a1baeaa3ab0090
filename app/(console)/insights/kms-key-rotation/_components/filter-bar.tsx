"use client";

import { SlidersHorizontal } from "lucide-react";
import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import { cn } from "@/lib/utils";

import type { FilterCounts } from "@/lib/insight-table/facets";
import type { InsightFilters } from "@/lib/insight-table/filters";
import { SEARCH_COUNT_CAP } from "@/lib/insight-table/search-cap";
import { SEVERITIES, SEVERITY_LABELS, type Severity } from "@/lib/verdict/types";
import { MultiSelect } from "./multi-select";
import { SearchInput } from "./search-input";
import { TagKeyPicker } from "./tag-key-picker";
import { type SinceScan, TriageFilters } from "./triage-filters";
import { useFilterNavigation } from "./use-filter-navigation";

export interface FilterChoices {
  accounts: { id: string; name: string }[];
  regions: string[];
  /** The OUs of the scope's accounts with their paths (none: the control is not shown). */
  ous: { id: string; path: string }[];
  tagKeys: string[];
  /** Scans the change filter may count from, newest first (the latest one, which would show nothing, left out). */
  scans: SinceScan[];
}

/**
 * The filter controls, rendered once. `counts` (how many keys each option would select with the
 * other filters, and the chosen tag key's values) arrives after the bar: until it does, and when
 * they could not be counted in time, the options are offered without numbers. It never holds the
 * table back, and while the next view's counts load the bar on screen (and what is typed in it) stays.
 * A search that matches more than SEARCH_COUNT_CAP keys is not counted: the bar says so.
 */
export function FilterBar({
  filters,
  choices,
  counts,
}: {
  filters: InsightFilters;
  choices: FilterChoices;
  counts: Promise<FilterCounts>;
}) {
  const { navigate, pending } = useFilterNavigation(filters);
  const resolved = useResolved(counts);
  const facets = resolved?.facets ?? null;
  const tagValues = resolved?.tagValues ?? filters.tagValues;
  // On a phone the filters fold behind one button, so that the table is not a screen away.
  const [open, setOpen] = useState(false);

  return (
    <>
      <Button
        type="button"
        variant="outline"
        className="lg:hidden"
        aria-expanded={open}
        aria-controls="insight-filters"
        onClick={() => setOpen(!open)}
      >
        <SlidersHorizontal className="h-4 w-4" aria-hidden />
        {open ? "Hide filters" : "Filters"}
      </Button>
      <div
        id="insight-filters"
        role="search"
        aria-label="Filter keys"
        className={cn("flex-wrap items-end gap-3 lg:flex", open ? "flex" : "hidden")}
      >
        <SearchInput value={filters.q} onSearch={(q) => navigate({ q })} />
        <MultiSelect
          label="Account"
          options={choices.accounts.map((a) => ({ value: a.id, label: `${a.name} (${a.id})` }))}
          selected={filters.accounts}
          counts={facets?.accounts}
          onChange={(accounts) => navigate({ accounts })}
        />
        {(choices.ous.length > 0 || filters.ous.length > 0) && (
          <MultiSelect
            label="OU"
            options={choices.ous.map((o) => ({ value: o.id, label: `${o.path} (${o.id})` }))}
            selected={filters.ous}
            onChange={(ous) => navigate({ ous })}
          />
        )}
        <MultiSelect
          label="Severity"
          options={SEVERITIES.map((s) => ({ value: s, label: SEVERITY_LABELS[s] }))}
          selected={filters.severities}
          counts={facets?.severities}
          onChange={(values) => navigate({ severities: values as Severity[] })}
        />
        <MultiSelect
          label="Region"
          options={choices.regions.map((r) => ({ value: r, label: r }))}
          selected={filters.regions}
          counts={facets?.regions}
          onChange={(regions) => navigate({ regions })}
        />
        <TagKeyPicker
          tagKeys={choices.tagKeys}
          selected={filters.tag}
          counts={facets?.tag}
          onChange={(tag) => navigate({ tag, tagValues: [] })}
        />
        <MultiSelect
          label="Tag value"
          options={tagValues.map((v) => ({ value: v, label: v === "" ? "(empty value)" : v }))}
          selected={filters.tagValues}
          counts={facets?.tagValues}
          onChange={(tagValues) => navigate({ tagValues })}
          disabled={filters.tag === null}
          hint="Choose a tag first"
        />
        {/* The finding's state on a line of its own, after the key's own attributes. */}
        <div className="h-0 basis-full" aria-hidden />
        <TriageFilters
          filters={filters}
          scans={choices.scans}
          statusCounts={facets?.statuses}
          navigate={navigate}
        />
        {resolved?.capped && (
          <p className="pb-1.5 text-sm text-muted-foreground">
            Counts are shown when the search matches at most {SEARCH_COUNT_CAP.toLocaleString("en-US")} keys.
          </p>
        )}
        <span aria-live="polite" className="pb-1.5 text-sm text-muted-foreground">
          {pending ? "Updating…" : ""}
        </span>
      </div>
    </>
  );
}

/** The promise's value once it has resolved (null before, and if it fails); a new promise starts again. */
function useResolved<T>(promise: Promise<T>): T | null {
  const [settled, setSettled] = useState<{ promise: Promise<T>; value: T } | null>(null);
  useEffect(() => {
    let current = true;
    promise.then(
      (value) => current && setSettled({ promise, value }),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [promise]);
  return settled?.promise === promise ? settled.value : null;
}
