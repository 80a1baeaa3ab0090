"use client";

import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { focusFirstError } from "@/components/forms/focus-first-error";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { formText } from "@/lib/actions/form-values";
import {
  auditRangeError,
  type AuditFilterField,
  type AuditFilters,
  type RefusedFilter,
} from "@/lib/audit/filters";

const selectClass = "h-9 w-full rounded-md border border-border bg-card px-2 text-sm";
const sentence = (message: string) => `${message[0]?.toUpperCase() ?? ""}${message.slice(1)}.`;

/**
 * A plain GET form: the filters land in the URL, so a view can be bookmarked and exported. A value
 * the page could not use comes back in its field with the reason beside it; a range that ends
 * before it starts is stopped here, by the parser's own rule.
 */
export function AuditFilterForm({
  filters,
  actions,
  refused,
}: {
  filters: AuditFilters;
  actions: string[];
  refused: Partial<Record<AuditFilterField, RefusedFilter>>;
}) {
  const ref = useRef<HTMLFormElement>(null);
  const [checked, setChecked] = useState<Partial<Record<AuditFilterField, string>>>({});
  const errors = (field: AuditFilterField) => {
    const message = checked[field] ?? refused[field]?.message;
    return message ? [sentence(message)] : undefined;
  };
  const shown = (field: AuditFilterField) => refused[field]?.value ?? filters[field] ?? "";
  useEffect(() => focusFirstError(ref.current), [refused, checked]);

  const families = [...new Set(actions.map((a) => a.split(".")[0] + "."))];
  const action = shown("action");
  const known = action === "" || actions.includes(action) || families.includes(action);
  return (
    <form
      ref={ref}
      method="get"
      action="/audit"
      aria-label="Filter the audit log"
      className="grid gap-3 sm:grid-cols-3 lg:grid-cols-6"
      onSubmit={(event) => {
        const form = new FormData(event.currentTarget);
        const range = auditRangeError(formText(form, "from") || null, formText(form, "to") || null);
        if (range) event.preventDefault();
        setChecked(range ? { to: range } : {});
      }}
    >
      <FormField id="audit-action" label="Action" errors={errors("action")}>
        {(control) => (
          <select {...control} name="action" defaultValue={action} className={selectClass}>
            <option value="">Any action</option>
            {!known ? <option value={action}>{action}</option> : null}
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
        defaultValue={shown("actor")}
        errors={errors("actor")}
        maxLength={254}
      />
      <FormField
        id="audit-target"
        label="Target contains"
        name="target"
        type="search"
        defaultValue={shown("target")}
        errors={errors("target")}
        maxLength={256}
      />
      <FormField
        id="audit-from"
        label="From (UTC day)"
        name="from"
        type="date"
        defaultValue={shown("from")}
        errors={errors("from")}
      />
      <FormField
        id="audit-to"
        label="To (UTC day, included)"
        name="to"
        type="date"
        defaultValue={shown("to")}
        errors={errors("to")}
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
