"use client";

import Link from "next/link";
import { FormField } from "@/components/ui/form-field";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import type { InsightFilters } from "@/lib/insight-table/filters";
import { SEVERITIES, SEVERITY_LABELS, type Severity } from "@/lib/verdict/types";
import { MultiSelect } from "./multi-select";
import { SearchInput } from "./search-input";
import { type SinceScan, TriageFilters } from "./triage-filters";
import { useFilterNavigation } from "./use-filter-navigation";
import { clearedInsightTableHref, insightTableHref } from "@/lib/insight-table/table-href";

/** Radix Select items cannot have an empty value; AWS tag keys cannot hold parentheses. */
const ANY_TAG = "(any)";

export interface FilterChoices {
  accounts: { id: string; name: string }[];
  regions: string[];
  tagKeys: string[];
  /** Values of the chosen tag key only (empty when no key is chosen). */
  tagValues: string[];
  /** Scans the change filter may count from, newest first (the latest one, which would show nothing, left out). */
  scans: SinceScan[];
}

export function FilterBar({ filters, choices }: { filters: InsightFilters; choices: FilterChoices }) {
  const { navigate, pending } = useFilterNavigation(filters);
  const cleared = clearedInsightTableHref(filters);

  return (
    <div role="search" aria-label="Filter keys" className="flex flex-wrap items-end gap-3">
      <SearchInput value={filters.q} onSearch={(q) => navigate({ q })} />
      <MultiSelect
        label="Account"
        options={choices.accounts.map((a) => ({ value: a.id, label: `${a.name} (${a.id})` }))}
        selected={filters.accounts}
        onChange={(accounts) => navigate({ accounts })}
      />
      <MultiSelect
        label="Severity"
        options={SEVERITIES.map((s) => ({ value: s, label: SEVERITY_LABELS[s] }))}
        selected={filters.severities}
        onChange={(values) => navigate({ severities: values as Severity[] })}
      />
      <MultiSelect
        label="Region"
        options={choices.regions.map((r) => ({ value: r, label: r }))}
        selected={filters.regions}
        onChange={(regions) => navigate({ regions })}
      />
      <FormField id="insight-tag" label="Tag">
        {(control) => (
          <Select
            value={filters.tag ?? ANY_TAG}
            onValueChange={(tag) => navigate({ tag: tag === ANY_TAG ? null : tag, tagValues: [] })}
          >
            <SelectTrigger {...control} className="h-8 w-48">
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              <SelectItem value={ANY_TAG}>Any tag</SelectItem>
              {[...new Set([...(filters.tag === null ? [] : [filters.tag]), ...choices.tagKeys])].map(
                (key) => (
                  <SelectItem key={key} value={key}>
                    {key}
                  </SelectItem>
                ),
              )}
            </SelectContent>
          </Select>
        )}
      </FormField>
      <MultiSelect
        label="Tag value"
        options={choices.tagValues.map((v) => ({ value: v, label: v === "" ? "(empty value)" : v }))}
        selected={filters.tagValues}
        onChange={(tagValues) => navigate({ tagValues })}
        disabled={filters.tag === null}
        hint="Choose a tag first"
      />
      {/* The finding's state on a line of its own, after the key's own attributes. */}
      <div className="h-0 basis-full" aria-hidden />
      <TriageFilters filters={filters} scans={choices.scans} navigate={navigate} />
      {insightTableHref({ ...filters, page: 1 }) !== cleared && (
        <Link href={cleared} className="pb-1.5 text-sm text-primary underline-offset-4 hover:underline">
          Clear filters
        </Link>
      )}
      <span aria-live="polite" className="pb-1.5 text-sm text-muted-foreground">
        {pending ? "Updating…" : ""}
      </span>
    </div>
  );
}
