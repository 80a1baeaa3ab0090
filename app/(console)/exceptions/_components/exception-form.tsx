"use client";

import { useState } from "react";
import { ActionMessage } from "@/components/forms/action-message";
import { CheckboxList } from "@/components/forms/checkbox-list";
import { RadioChoices } from "@/components/forms/radio-choices";
import { SubmitButton } from "@/components/forms/submit-button";
import { useActionForm } from "@/components/forms/use-action-form";
import { FieldError, FormField } from "@/components/ui/form-field";
import {
  checkExceptionForm,
  readExceptionForm,
  type ExceptionFormValues,
  type ScopeMode,
} from "@/lib/exceptions/form";
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

const checkForm = (form: FormData) => checkExceptionForm(readExceptionForm(form), new Date());

/**
 * The exception form, controlled (the scope's parts come and go with its mode) and sent through
 * useActionForm: a refused form keeps everything chosen and typed, with the messages beside their
 * fields.
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
  const { result, errors: e, pending, formProps } = useActionForm(saveExceptionAction, { check: checkForm });
  const [v, setValues] = useState(initial);
  const set = <K extends keyof ExceptionFormValues>(key: K, value: ExceptionFormValues[K]) =>
    setValues((old) => ({ ...old, [key]: value }));
  const owners = options.owners.includes(v.ownerEmail) ? options.owners : [v.ownerEmail, ...options.owners];
  return (
    <form {...formProps} className="grid gap-5" aria-label={replaces ? "Change exception" : "New exception"}>
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
          <RuleFields v={v} set={set} options={options} errors={e} />
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
  options,
  errors: e,
}: {
  v: ExceptionFormValues;
  set: <K extends keyof ExceptionFormValues>(key: K, value: ExceptionFormValues[K]) => void;
  options: ExceptionFormOptions;
  errors: Record<string, string[]>;
}) {
  return (
    <>
      <p className="text-xs text-muted-foreground">
        Every part you set must match; an empty part matches everything.
      </p>
      <CheckboxList
        id="accounts"
        legend="Accounts"
        name="accounts"
        options={options.accounts.map((a) => [a.id, `${a.name} (${a.id})`] as const)}
        value={v.accounts}
        onChange={(accounts) => set("accounts", accounts)}
        errors={e.accounts}
        listClassName="grid-cols-1 sm:grid-cols-2"
      />
      <CheckboxList
        id="regions"
        legend="Regions"
        name="regions"
        options={options.regions.map((r) => [r, r] as const)}
        value={v.regions}
        onChange={(regions) => set("regions", regions)}
        errors={e.regions}
      />
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
