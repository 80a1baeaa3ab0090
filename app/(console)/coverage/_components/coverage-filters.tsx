import Link from "next/link";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { type CoverageFilters, coverageHref } from "@/lib/coverage/filters";
import { COVERAGE_STATE_LABELS, COVERAGE_STATES, type CoverageState } from "@/lib/coverage/states";
import type { FilterOptions } from "@/lib/insight-table/query";
import { cn } from "@/lib/utils";

const selectClass = "h-9 w-full rounded-md border border-border bg-card px-2 text-sm";

/** The state filter as links, each with how many account-regions it holds under the other filters. */
export function CoverageStateLinks({
  filters,
  counts,
}: {
  filters: CoverageFilters;
  counts: Record<CoverageState, number>;
}) {
  const all = COVERAGE_STATES.reduce((sum, s) => sum + counts[s], 0);
  const choices: [string, CoverageState[], number][] = [
    ["All", [], all],
    ...COVERAGE_STATES.map((s): [string, CoverageState[], number] => [
      COVERAGE_STATE_LABELS[s],
      [s],
      counts[s],
    ]),
  ];
  return (
    <nav aria-label="Coverage states" className="flex flex-wrap gap-2 text-sm">
      {choices.map(([label, states, count]) => {
        const selected = states.join() === filters.states.join();
        return (
          <Link
            key={label}
            href={coverageHref({ ...filters, states, page: 1 })}
            aria-current={selected ? "page" : undefined}
            className={cn(
              "rounded-md border border-border px-3 py-1.5",
              selected ? "bg-primary text-primary-foreground" : "bg-card hover:bg-muted",
            )}
          >
            {label} <span className="tabular-nums">({count.toLocaleString("en-US")})</span>
          </Link>
        );
      })}
    </nav>
  );
}

/**
 * Account, region and OU as a plain GET form: the filters land in the URL, the chosen states go
 * with them. One value each here; the URL takes several.
 */
export function CoverageFilterForm({
  filters,
  options,
}: {
  filters: CoverageFilters;
  options: FilterOptions;
}) {
  return (
    <form
      method="get"
      action="/coverage"
      aria-label="Filter the account-regions"
      className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4"
    >
      {filters.states.map((s) => (
        <input key={s} type="hidden" name="state" value={s} />
      ))}
      <FormField id="coverage-account" label="Account">
        {(control) => (
          <select
            {...control}
            name="account"
            defaultValue={filters.accounts[0] ?? ""}
            className={selectClass}
          >
            <option value="">Every account</option>
            {options.accounts.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name} ({a.id})
              </option>
            ))}
          </select>
        )}
      </FormField>
      <FormField id="coverage-region" label="Region">
        {(control) => (
          <select {...control} name="region" defaultValue={filters.regions[0] ?? ""} className={selectClass}>
            <option value="">Every region</option>
            {options.regions.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        )}
      </FormField>
      <FormField id="coverage-ou" label="Organizational unit" hint="Its child OUs included.">
        {(control) => (
          <select {...control} name="ou" defaultValue={filters.ous[0] ?? ""} className={selectClass}>
            <option value="">Every OU</option>
            {options.ous.map((o) => (
              <option key={o.id} value={o.id}>
                {o.path} ({o.id})
              </option>
            ))}
          </select>
        )}
      </FormField>
      <div className="flex items-end gap-2">
        <Button type="submit">Filter</Button>
        <Link href="/coverage" className="px-2 py-2 text-sm text-primary underline">
          Clear
        </Link>
      </div>
    </form>
  );
}
