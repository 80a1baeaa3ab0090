import Link from "next/link";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { ACCOUNT_STATUSES, type AccountFilters } from "@/lib/accounts/filters";
import { PAGE_SIZES } from "@/lib/insight-table/filters";

const selectClass = "h-9 w-full rounded-md border border-border bg-card px-2 text-sm";

/** A plain GET form: the filters land in the URL (page 1), so a view can be bookmarked. */
export function AccountFilterForm({
  filters,
  organizations,
}: {
  filters: AccountFilters;
  organizations: { id: string; name: string }[];
}) {
  return (
    <form
      method="get"
      action="/accounts"
      aria-label="Filter the accounts"
      className="grid gap-3 sm:grid-cols-2 lg:grid-cols-6"
    >
      <FormField
        id="accounts-q"
        label="Id, name or email contains"
        name="q"
        type="search"
        defaultValue={filters.q ?? ""}
        maxLength={100}
        className="lg:col-span-2"
      />
      <FormField id="accounts-organization" label="Organization">
        {(control) => (
          <select
            {...control}
            name="organization"
            defaultValue={filters.organization ?? ""}
            className={selectClass}
          >
            <option value="">Any</option>
            <option value="none">Added by hand</option>
            {organizations.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        )}
      </FormField>
      <FormField
        id="accounts-ou"
        label="OU id (and its children)"
        name="ou"
        defaultValue={filters.ou ?? ""}
        placeholder="ou-ab12-34cd56ef"
        maxLength={70}
      />
      <FormField id="accounts-status" label="Status">
        {(control) => (
          <select {...control} name="status" defaultValue={filters.status ?? ""} className={selectClass}>
            <option value="">Any</option>
            {Object.entries(ACCOUNT_STATUSES).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        )}
      </FormField>
      <FormField id="accounts-page-size" label="Per page">
        {(control) => (
          <select
            {...control}
            name="pageSize"
            defaultValue={String(filters.pageSize)}
            className={selectClass}
          >
            {PAGE_SIZES.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        )}
      </FormField>
      <div className="flex items-end gap-2 sm:col-span-2 lg:col-span-6">
        <Button type="submit">Filter</Button>
        <Link href="/accounts" className="px-2 py-2 text-sm text-primary underline">
          Clear
        </Link>
      </div>
    </form>
  );
}
