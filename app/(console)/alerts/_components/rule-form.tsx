"use client";

import { useState } from "react";
import { ActionMessage } from "@/components/forms/action-message";
import { CheckboxList } from "@/components/forms/checkbox-list";
import { SubmitButton } from "@/components/forms/submit-button";
import { useActionForm } from "@/components/forms/use-action-form";
import { FormField } from "@/components/ui/form-field";
import { checkRuleForm } from "@/lib/alerts/forms";
import { ALERT_SEVERITIES, RULE_KIND_LABELS, RULE_KINDS, type RuleKind } from "@/lib/alerts/rule-schema";
import type { RuleView } from "@/lib/alerts/rules";
import { SEVERITY_LABELS } from "@/lib/verdict/types";
import { saveRuleAction } from "../actions";

const SELECT = "h-9 rounded-md border border-border bg-background px-2 text-sm";

const KIND_HELP: Record<RuleKind, string> = {
  NEW_OR_REOPENED: "After each scan: the findings it made new or reopened, in one message.",
  SLA_OVERDUE: "After each scan: open findings past their due date, each alerted once per failing period.",
  EXCEPTION_EXPIRING: "After each scan: exceptions in force that end within the days below, each once.",
  SCAN_FAILED: "A scan that failed or was partial, with the account-regions that failed.",
};

/** Adds a rule, or edits one (`initial`). Excepted findings are never alerted. */
export function RuleForm({
  destinations,
  accounts,
  initial,
}: {
  destinations: { id: string; name: string }[];
  accounts: { id: string; name: string }[];
  initial?: RuleView;
}) {
  const {
    result,
    errors: e,
    pending,
    formProps,
  } = useActionForm(saveRuleAction, { check: checkRuleForm, resetOnSuccess: !initial });
  const [kind, setKind] = useState<RuleKind>(initial?.kind ?? "NEW_OR_REOPENED");
  const [severities, setSeverities] = useState<string[]>(initial?.severities ?? ["CRITICAL"]);
  const [chosenAccounts, setAccounts] = useState<string[]>(initial?.accountIds ?? []);
  const findings = kind === "NEW_OR_REOPENED" || kind === "SLA_OVERDUE";
  const p = initial ? `edit-${initial.id}` : "new";
  return (
    <form
      {...formProps}
      onReset={() => {
        setKind(initial?.kind ?? "NEW_OR_REOPENED");
        setSeverities(initial?.severities ?? ["CRITICAL"]);
        setAccounts(initial?.accountIds ?? []);
      }}
      className="grid max-w-2xl gap-4"
      aria-label={initial ? `Edit rule ${initial.name}` : "Add rule"}
    >
      <ActionMessage result={result} />
      {initial ? <input type="hidden" name="id" value={initial.id} /> : null}
      <input type="hidden" name="enabled" value={initial && !initial.enabled ? "off" : "on"} />
      <div className="grid gap-4 sm:grid-cols-2">
        <FormField
          id={`${p}-rule-name`}
          label="Name"
          name="name"
          errors={e.name}
          defaultValue={initial?.name}
          placeholder="New critical findings"
          autoComplete="off"
        />
        <FormField id={`${p}-rule-destination`} label="Send to" errors={e.destinationId}>
          {(control) => (
            <select
              {...control}
              name="destinationId"
              defaultValue={initial?.destinationId ?? destinations[0]?.id}
              className={SELECT}
            >
              {destinations.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
            </select>
          )}
        </FormField>
      </div>
      <FormField id={`${p}-rule-kind`} label="Alert on" errors={e.kind} hint={KIND_HELP[kind]}>
        {(control) => (
          <select
            {...control}
            name="kind"
            value={kind}
            onChange={(ev) => setKind(ev.target.value as RuleKind)}
            className={`${SELECT} max-w-sm`}
          >
            {RULE_KINDS.map((k) => (
              <option key={k} value={k}>
                {RULE_KIND_LABELS[k]}
              </option>
            ))}
          </select>
        )}
      </FormField>
      {findings ? (
        <>
          <CheckboxList
            id={`${p}-rule-severities`}
            legend={kind === "SLA_OVERDUE" ? "Severities (none: any)" : "Severities"}
            name="severities"
            options={ALERT_SEVERITIES.map((s) => [s, SEVERITY_LABELS[s]] as const)}
            value={severities}
            onChange={setSeverities}
            errors={e.severities}
            listClassName="grid-cols-2"
          />
          {accounts.length ? (
            <CheckboxList
              id={`${p}-rule-accounts`}
              legend="Accounts (none: every account)"
              name="accountIds"
              options={accounts.map((a) => [a.id, `${a.name} (${a.id})`] as const)}
              value={chosenAccounts}
              onChange={setAccounts}
              errors={e.accountIds}
              listClassName="grid-cols-1 sm:grid-cols-2"
            />
          ) : null}
          <FormField
            id={`${p}-rule-ous`}
            label="Organizational units (optional)"
            name="ouIds"
            errors={e.ouIds}
            defaultValue={initial?.ouIds.join(", ")}
            placeholder="ou-ab12-cdef3456"
            hint="OU ids, separated by commas: an OU includes the OUs under it."
            autoComplete="off"
          />
          <div className="grid gap-4 sm:grid-cols-2">
            <FormField
              id={`${p}-rule-tag`}
              label="Tag key (optional)"
              name="tagKey"
              errors={e.tagKey}
              defaultValue={initial?.tagKey ?? ""}
              placeholder="env"
              autoComplete="off"
            />
            <FormField
              id={`${p}-rule-tag-value`}
              label="Tag value (optional: any)"
              name="tagValue"
              errors={e.tagValue}
              defaultValue={initial?.tagValue ?? ""}
              placeholder="prod"
              autoComplete="off"
            />
          </div>
        </>
      ) : null}
      {kind === "EXCEPTION_EXPIRING" ? (
        <FormField
          id={`${p}-rule-days`}
          label="Ends within (days)"
          name="days"
          inputMode="numeric"
          errors={e.days}
          defaultValue={String(initial?.days ?? 14)}
          className="max-w-xs"
        />
      ) : null}
      <SubmitButton pending={pending}>{initial ? "Save rule" : "Add rule"}</SubmitButton>
    </form>
  );
}
