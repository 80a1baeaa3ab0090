import Link from "next/link";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import type { AuditFilters } from "@/lib/audit/filters";

const selectClass = "h-9 w-full rounded-md border border-border bg-card px-2 text-sm";

/** A plain GET form: the filters land in the URL, so a view can be bookmarked and exported. */
export function AuditFilterForm({ filters, actions }: { filters: AuditFilters; actions: string[] }) {
  const families = [...new Set(actions.map((a) => a.split(".")[0] + "."))];
  const known =
    filters.action === null || actions.includes(filters.action) || families.includes(filters.action);
  return (
    <form
      method="get"
      action="/audit"
      aria-label="Filter the audit log"
      className="grid gap-3 sm:grid-cols-3 lg:grid-cols-6"
    >
      <FormField id="audit-action" label="Action">
        {(control) => (
          <select {...control} name="action" defaultValue={filters.action ?? ""} className={selectClass}>
            <option value="">Any action</option>
            {!known ? <option value={filters.action!}>{filters.action}</option> : null}
            <optgroup label="Every action of a kind">
              {families.map((f) => (
                <option key={f} value={f}>
                  {f}* (all)
                </option>
              ))}
            </optgroup>
            <optgroup label="One action">
              {actions.map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </optgroup>
          </select>
        )}
      </FormField>
      <FormField
        id="audit-actor"
        label="Who (email contains)"
        name="actor"
        type="search"
        defaultValue={filters.actor ?? ""}
        maxLength={254}
      />
      <FormField
        id="audit-target"
        label="Target contains"
        name="target"
        type="search"
        defaultValue={filters.target ?? ""}
        maxLength={256}
      />
      <FormField
        id="audit-from"
        label="From (UTC day)"
        name="from"
        type="date"
        defaultValue={filters.from ?? ""}
      />
      <FormField
        id="audit-to"
        label="To (UTC day, included)"
        name="to"
        type="date"
        defaultValue={filters.to ?? ""}
      />
      <div className="flex items-end gap-2">
        <Button type="submit">Filter</Button>
        <Link href="/audit" className="px-2 py-2 text-sm text-primary underline">
          Clear
        </Link>
      </div>
    </form>
  );
}
