"use client";

import { useState } from "react";
import { ActionMessage } from "@/components/forms/action-message";
import { SubmitButton } from "@/components/forms/submit-button";
import { useActionForm } from "@/components/forms/use-action-form";
import { FormField } from "@/components/ui/form-field";
import {
  DESTINATION_KIND_LABELS,
  DESTINATION_KINDS,
  type DestinationConfig,
  type DestinationKind,
} from "@/lib/alerts/destination-schema";
import { checkDestinationForm } from "@/lib/alerts/forms";
import { saveDestinationAction } from "../actions";

const SELECT = "h-9 rounded-md border border-border bg-background px-2 text-sm";

export interface DestinationFormValues {
  id: string;
  name: string;
  config: DestinationConfig;
  hasSecret: boolean;
}

/** Adds a destination, or edits one (`initial`): its kind stays, a blank secret keeps the stored one. */
export function DestinationForm({ initial }: { initial?: DestinationFormValues }) {
  const {
    result,
    errors: e,
    pending,
    formProps,
  } = useActionForm(saveDestinationAction, { check: checkDestinationForm, resetOnSuccess: !initial });
  const [kind, setKind] = useState<DestinationKind>(initial?.config.kind ?? "WEBHOOK");
  const config = initial?.config;
  const keep = initial?.hasSecret ? "Leave empty to keep the stored one (never shown)." : undefined;
  const p = initial ? `edit-${initial.id}` : "new";
  return (
    <form
      {...formProps}
      onReset={() => setKind(initial?.config.kind ?? "WEBHOOK")}
      className="grid max-w-2xl gap-4"
      aria-label={initial ? `Edit destination ${initial.name}` : "Add destination"}
    >
      <ActionMessage result={result} />
      {initial ? <input type="hidden" name="id" value={initial.id} /> : null}
      <div className="grid gap-4 sm:grid-cols-2">
        <FormField
          id={`${p}-destination-name`}
          label="Name"
          name="name"
          errors={e.name}
          defaultValue={initial?.name}
          placeholder="Security on-call"
          autoComplete="off"
        />
        <FormField id={`${p}-destination-kind`} label="Kind" errors={e.kind}>
          {(control) =>
            initial ? (
              <>
                <input type="hidden" name="kind" value={kind} />
                <select {...control} defaultValue={kind} disabled className={SELECT}>
                  <option value={kind}>{DESTINATION_KIND_LABELS[kind]}</option>
                </select>
              </>
            ) : (
              <select
                {...control}
                name="kind"
                value={kind}
                onChange={(ev) => setKind(ev.target.value as DestinationKind)}
                className={SELECT}
              >
                {DESTINATION_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {DESTINATION_KIND_LABELS[k]}
                  </option>
                ))}
              </select>
            )
          }
        </FormField>
      </div>
      {kind === "WEBHOOK" ? (
        <>
          <FormField
            id={`${p}-destination-url`}
            label="URL"
            name="url"
            errors={e.url}
            defaultValue={config?.kind === "WEBHOOK" ? config.url : ""}
            placeholder="https://siem.example.com/hooks/kms-insights"
            hint="Its host must be listed in INSIGHTS_ALLOWED_ENDPOINT_HOSTS."
            autoComplete="off"
          />
          <FormField
            id={`${p}-destination-secret`}
            label="Signing secret"
            name="secret"
            type="password"
            errors={e.secret}
            hint={
              keep ??
              "16 characters or more. Each message is signed with it (X-Signature); give it to the receiver."
            }
            autoComplete="new-password"
          />
        </>
      ) : null}
      {kind === "SLACK" ? (
        <FormField
          id={`${p}-destination-slack`}
          label="Slack webhook URL"
          name="slackUrl"
          type="password"
          errors={e.slackUrl}
          placeholder="https://hooks.slack.com/services/…"
          hint={keep ?? "From the Slack app's Incoming Webhooks page. Kept secret like a password."}
          autoComplete="off"
        />
      ) : null}
      {kind === "EMAIL" ? (
        <>
          <div className="grid gap-4 sm:grid-cols-3">
            <FormField
              id={`${p}-destination-host`}
              label="SMTP host"
              name="host"
              errors={e.host}
              defaultValue={config?.kind === "EMAIL" ? config.host : ""}
              placeholder="smtp.example.com"
              className="sm:col-span-2"
              autoComplete="off"
            />
            <FormField
              id={`${p}-destination-port`}
              label="Port"
              name="port"
              inputMode="numeric"
              errors={e.port}
              defaultValue={config?.kind === "EMAIL" ? String(config.port) : "587"}
            />
          </div>
          <FormField id={`${p}-destination-security`} label="Connection security" errors={e.security}>
            {(control) => (
              <select
                {...control}
                name="security"
                defaultValue={config?.kind === "EMAIL" ? config.security : "starttls"}
                className={`${SELECT} max-w-xs`}
              >
                <option value="starttls">STARTTLS (port 587)</option>
                <option value="tls">TLS (port 465)</option>
                <option value="none">None (a local relay only)</option>
              </select>
            )}
          </FormField>
          <div className="grid gap-4 sm:grid-cols-2">
            <FormField
              id={`${p}-destination-username`}
              label="Username (optional)"
              name="username"
              errors={e.username}
              defaultValue={config?.kind === "EMAIL" ? (config.username ?? "") : ""}
              autoComplete="off"
            />
            <FormField
              id={`${p}-destination-password`}
              label="Password (optional)"
              name="password"
              type="password"
              errors={e.password}
              hint={keep}
              autoComplete="new-password"
            />
          </div>
          <div className="grid gap-4 sm:grid-cols-2">
            <FormField
              id={`${p}-destination-from`}
              label="From"
              name="from"
              type="email"
              errors={e.from}
              defaultValue={config?.kind === "EMAIL" ? config.from : ""}
              placeholder="kms-insights@example.com"
            />
            <FormField
              id={`${p}-destination-to`}
              label="To"
              name="to"
              errors={e.to}
              defaultValue={config?.kind === "EMAIL" ? config.to.join(", ") : ""}
              placeholder="security@example.com, oncall@example.com"
              hint="Up to 20 addresses, separated by commas."
            />
          </div>
        </>
      ) : null}
      <SubmitButton pending={pending}>{initial ? "Save destination" : "Add destination"}</SubmitButton>
    </form>
  );
}
