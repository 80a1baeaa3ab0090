"use client";

import { Checkbox } from "@/components/ui/checkbox";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import type { InsightFilters } from "@/lib/insight-table/filters";
import {
  FINDING_CHANGES,
  FINDING_STATUSES,
  type FindingChange,
  type FindingStatus,
  STATUS_LABELS,
} from "@/lib/triage/status";
import { MultiSelect } from "./multi-select";

/** Radix Select items cannot have an empty value. */
const PREVIOUS_SCAN = "(previous)";
const A_DATE = "(date)";
const DAY = /^\d{4}-\d{2}-\d{2}/;

const CHANGE_LABELS: Record<FindingChange, string> = {
  new: "New",
  resolved: "Resolved",
  reopened: "Reopened",
};

export interface SinceScan {
  id: string;
  label: string;
}

type Navigate = (changes: Partial<InsightFilters>) => void;

/** The triage filters: status, change since a scan or a date, overdue. */
export function TriageFilters({
  filters,
  scans,
  statusCounts,
  navigate,
}: {
  filters: InsightFilters;
  scans: SinceScan[];
  /** Keys per status with the other filters (see MultiSelect's counts). */
  statusCounts?: Readonly<Record<string, number>>;
  navigate: Navigate;
}) {
  return (
    <>
      <MultiSelect
        label="Status"
        options={FINDING_STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] }))}
        selected={filters.statuses}
        counts={statusCounts}
        onChange={(values) => navigate({ statuses: values as FindingStatus[] })}
        noneChosen={filters.changes.length ? "every status" : "all but excepted"}
      />
      <MultiSelect
        label="Change"
        options={FINDING_CHANGES.map((c) => ({ value: c, label: CHANGE_LABELS[c] }))}
        selected={filters.changes}
        onChange={(values) => navigate({ changes: values as FindingChange[] })}
      />
      <SincePicker filters={filters} scans={scans} navigate={navigate} />
      <div className="flex items-center gap-2 pb-2">
        <Checkbox
          id="insight-overdue"
          checked={filters.overdue === "1"}
          onCheckedChange={(checked) => navigate({ overdue: checked === true ? "1" : null })}
        />
        <label htmlFor="insight-overdue" className="cursor-pointer text-sm font-medium">
          Overdue only
        </label>
      </div>
    </>
  );
}

/** From when the change filter counts: a recent scan (default: the previous one) or a date. */
function SincePicker({
  filters,
  scans,
  navigate,
}: {
  filters: InsightFilters;
  scans: SinceScan[];
  navigate: Navigate;
}) {
  const disabled = filters.changes.length === 0;
  const since = filters.since;
  const isDate = since !== null && DAY.test(since);
  const chosen = since === null ? PREVIOUS_SCAN : isDate ? A_DATE : since;
  // A scan named by the URL that is no longer among the recent ones stays listed, by its id.
  const listed =
    since === null || isDate || scans.some((s) => s.id === since)
      ? scans
      : [...scans, { id: since, label: since }];
  function commitDate(day: string) {
    if (day !== (isDate ? since.slice(0, 10) : "") && (day === "" || DAY.test(day)))
      navigate({ since: day || null });
  }
  return (
    <fieldset
      className="flex flex-wrap items-end gap-2"
      disabled={disabled}
      title={disabled ? "Choose a change first" : undefined}
    >
      <FormField id="insight-since" label="Since">
        {(control) => (
          <Select
            value={chosen}
            disabled={disabled}
            onValueChange={(value) => {
              if (value !== A_DATE) navigate({ since: value === PREVIOUS_SCAN ? null : value });
            }}
          >
            <SelectTrigger {...control} className="h-8 w-56">
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              <SelectItem value={PREVIOUS_SCAN}>Previous scan</SelectItem>
              {listed.map((scan) => (
                <SelectItem key={scan.id} value={scan.id}>
                  {scan.label}
                </SelectItem>
              ))}
              {isDate && <SelectItem value={A_DATE}>The date chosen</SelectItem>}
            </SelectContent>
          </Select>
        )}
      </FormField>
      <FormField id="insight-since-date" label="or from date">
        {(control) => (
          <Input
            {...control}
            type="date"
            className="h-8 w-40"
            disabled={disabled}
            // Keyed by the URL's value: "Clear filters" and the back button show theirs.
            key={since ?? ""}
            defaultValue={isDate ? since.slice(0, 10) : ""}
            // Applied on leaving the field or Enter, not on each keystroke: a half-typed year is a date too.
            onBlur={(e) => commitDate(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter") commitDate(e.currentTarget.value);
            }}
          />
        )}
      </FormField>
    </fieldset>
  );
}
