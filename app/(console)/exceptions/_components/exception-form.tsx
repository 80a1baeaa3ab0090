"use client";

import { useActionState, useState, useTransition } from "react";
import { ActionMessage } from "@/components/forms/action-message";
import { RadioChoices } from "@/components/forms/radio-choices";
import { SubmitButton } from "@/components/forms/submit-button";
import { FieldError, FormField } from "@/components/ui/form-field";
import { initialResult } from "@/lib/actions/result-shape";
import type { ExceptionFormValues, ScopeMode } from "@/lib/exceptions/form";
import type { ExceptionFormOptions } from "@/lib/exceptions/form-options";
import type { ExceptionKindName } from "@/lib/exceptions/schema";
import { saveExceptionAction } from "../actions";

const KINDS: readonly (readonly [ExceptionKindName, string])[] = [
  ["accepted-risk", "Accepted risk: the finding is real, and the risk is accepted until the expiry"],
  ["false-positive", "False positive: the finding does not apply to these keys"],
];
const MODES: readonly (readonly [ScopeMode, string])[] = [
  ["keys", "These keys"],
  ["rule", "A rule (also covers keys that appear later)"],
];
const textarea = "min-h-20 rounded-md border border-border bg-background px-3 py-2 text-sm";
const select = "h-9 rounded-md border border-border bg-background px-2 text-sm";

/**
 * The exception form. Controlled, and submitted without React's form action, which resets the form
 * afterwards (radio buttons included, controlled or not): a refused form keeps everything chosen and
 * typed, with the server's messages beside their fields.
 */
export function ExceptionForm({
  initial,
  options,
  replaces,
  minDay,
  maxDay,
  needsApproval,
}: {
  initial: ExceptionFormValues;
  options: ExceptionFormOptions;
  replaces?: string;
  minDay: string;
  maxDay: string;
  needsApproval: boolean;
}) {
  const [result, action, pending] = useActionState(saveExceptionAction, initialResult);
  const [, startTransition] = useTransition();
  const submit = (ev: React.FormEvent<HTMLFormElement>) => {
    ev.preventDefault();
    const data = new FormData(ev.currentTarget);
    startTransition(() => action(data));
  };
  const [v, setValues] = useState(initial);
  const set = <K extends keyof ExceptionFormValues>(key: K, value: ExceptionFormValues[K]) =>
    setValues((old) => ({ ...old, [key]: value }));
  const toggle = (key: "accounts" | "regions", item: string, on: boolean) =>
    set(key, on ? [...v[key], item] : v[key].filter((x) => x !== item));
  const e = result.errors ?? {};
  const owners = options.owners.includes(v.ownerEmail) ? options.owners : [v.ownerEmail, ...options.owners];
  return (
    <form
      onSubmit={submit}
      className="grid gap-5"
      aria-label={replaces ? "Change exception" : "New exception"}
    >
      {replaces ? <input type="hidden" name="replaces" value={replaces} /> : null}
      <ActionMessage result={result} id="exception-form-message" />
      <fieldset className="grid gap-2 text-sm">
        <legend className="mb-1 text-sm font-medium">Kind</legend>
        <RadioChoices name="kind" choices={KINDS} value={v.kind} onChange={(k) => set("kind", k)} />
        <FieldError id="kind-error" errors={e.kind} />
      </fieldset>
      <FormField id="justification" label="Justification" errors={e.justification}>
        {(control) => (
          <textarea
            {...control}
            name="justification"
            required
            className={textarea}
            value={v.justification}
            onChange={(ev) => set("justification", ev.target.value)}
          />
        )}
      </FormField>
      <div className="grid grid-cols-2 gap-4">
        <FormField
          id="owner"
          label="Owner"
          errors={e.ownerEmail}
          hint="Answers for the exception until it ends."
        >
          {(control) => (
            <select
              {...control}
              name="ownerEmail"
              className={select}
              value={v.ownerEmail}
              onChange={(ev) => set("ownerEmail", ev.target.value)}
            >
              {owners.map((o) => (
                <option key={o} value={o}>
                  {o}
                </option>
              ))}
            </select>
          )}
        </FormField>
        <FormField
          id="expires"
          label="Expires on"
          hint="At 00:00 UTC that day; at most a year away."
          errors={e.expires}
          name="expires"
          type="date"
          min={minDay}
          max={maxDay}
          value={v.expires}
          onChange={(ev) => set("expires", ev.target.value)}
        />
      </div>
      <FormField
        id="ticket"
        label="Ticket link (optional)"
        errors={e.ticketUrl}
        name="ticketUrl"
        type="url"
        placeholder="https://tickets.example.com/SEC-123"
        value={v.ticketUrl}
        onChange={(ev) => set("ticketUrl", ev.target.value)}
      />
      <fieldset className="grid gap-3 rounded-md border border-border p-4">
        <legend className="px-1 text-sm font-medium">Scope</legend>
        <div className="flex flex-wrap gap-4 text-sm">
          <RadioChoices
            name="scopeMode"
            choices={MODES}
            value={v.scopeMode}
            onChange={(m) => set("scopeMode", m)}
          />
        </div>
        {v.scopeMode === "keys" ? (
          <FormField id="key-arns" label="Key ARNs, one a line" errors={e.keyArns}>
            {(control) => (
              <textarea
                {...control}
                name="keyArns"
                className={`${textarea} font-mono text-xs`}
                value={v.keyArns}
                onChange={(ev) => set("keyArns", ev.target.value)}
              />
            )}
          </FormField>
        ) : (
          <RuleFields v={v} set={set} toggle={toggle} options={options} errors={e} />
        )}
      </fieldset>
      {needsApproval ? (
        <p className="text-sm text-muted-foreground">
          It takes effect once an admin other than you approves it.
        </p>
      ) : null}
      <SubmitButton pending={pending}>{replaces ? "Save new version" : "Create exception"}</SubmitButton>
    </form>
  );
}

function RuleFields({
  v,
  set,
  toggle,
  options,
  errors: e,
}: {
  v: ExceptionFormValues;
  set: <K extends keyof ExceptionFormValues>(key: K, value: ExceptionFormValues[K]) => void;
  toggle: (key: "accounts" | "regions", item: string, on: boolean) => void;
  options: ExceptionFormOptions;
  errors: Record<string, string[]>;
}) {
  const check = (key: "accounts" | "regions", item: string, label: string) => (
    <label key={item} className="flex items-center gap-2">
      <input
        type="checkbox"
        name={key}
        value={item}
        checked={v[key].includes(item)}
        onChange={(ev) => toggle(key, item, ev.target.checked)}
      />
      {label}
    </label>
  );
  return (
    <>
      <p className="text-xs text-muted-foreground">
        Every part you set must match; an empty part matches everything.
      </p>
      <fieldset className="grid gap-1.5">
        <legend className="mb-1 text-sm font-medium">Accounts</legend>
        <div className="grid max-h-40 grid-cols-2 gap-1 overflow-y-auto text-sm">
          {options.accounts.map((a) => check("accounts", a.id, `${a.name} (${a.id})`))}
        </div>
        <FieldError id="accounts-error" errors={e.accounts} />
      </fieldset>
      <fieldset className="grid gap-1.5">
        <legend className="mb-1 text-sm font-medium">Regions</legend>
        <div className="grid max-h-40 grid-cols-3 gap-1 overflow-y-auto text-sm">
          {options.regions.map((r) => check("regions", r, r))}
        </div>
        <FieldError id="regions-error" errors={e.regions} />
      </fieldset>
      <div className="grid grid-cols-2 gap-4">
        <FormField
          id="tag-key"
          label="Tag key"
          errors={e.tagKey}
          name="tagKey"
          value={v.tagKey}
          onChange={(ev) => set("tagKey", ev.target.value)}
        />
        <FormField id="tag-values" label="Tag values, one a line (none: any value)" errors={e.tagValues}>
          {(control) => (
            <textarea
              {...control}
              name="tagValues"
              className={textarea}
              value={v.tagValues}
              onChange={(ev) => set("tagValues", ev.target.value)}
            />
          )}
        </FormField>
      </div>
      <FormField
        id="alias-prefix"
        label="Alias prefix"
        hint="For example alias/legacy-"
        errors={e.aliasPrefix}
        name="aliasPrefix"
        value={v.aliasPrefix}
        onChange={(ev) => set("aliasPrefix", ev.target.value)}
      />
    </>
  );
}
