"use client";

import { ActionMessage } from "@/components/forms/action-message";
import { SubmitButton } from "@/components/forms/submit-button";
import { useActionForm } from "@/components/forms/use-action-form";
import { Alert } from "@/components/ui/alert";
import { CopyButton } from "@/components/ui/copy-button";
import { FormField } from "@/components/ui/form-field";
import { checkTokenForm, DEFAULT_TOKEN_DAYS, MAX_TOKEN_DAYS } from "@/lib/api/token-rules";
import { createTokenAction, type TokenCreated } from "../actions";

/** Name and expiry; after creating, the secret once, with a copy button and a first request. */
export function CreateTokenForm({
  defaultDay,
  lastDay,
  origin,
}: {
  defaultDay: string;
  lastDay: string;
  origin: string;
}) {
  const {
    result,
    errors: e,
    pending,
    formProps,
  } = useActionForm(createTokenAction, {
    check: (form) => checkTokenForm(form),
    resetOnSuccess: true,
  });
  const secret = (result as TokenCreated).secret;
  return (
    <div className="grid gap-4">
      <form {...formProps} className="grid max-w-2xl gap-4" aria-label="Create a token">
        <ActionMessage result={result} />
        <div className="grid gap-4 sm:grid-cols-2">
          <FormField
            id="token-name"
            label="Name"
            hint="What it is for, e.g. “SIEM import”."
            errors={e.name}
            name="name"
            maxLength={100}
            autoComplete="off"
            required
          />
          <FormField
            id="token-expires"
            label="Expires"
            hint={`The last day it works: ${DEFAULT_TOKEN_DAYS} days by default, at most ${MAX_TOKEN_DAYS}.`}
            errors={e.expires}
            name="expires"
            type="date"
            defaultValue={defaultDay}
            max={lastDay}
            required
          />
        </div>
        <SubmitButton pending={pending} pendingLabel="Creating…">
          Create token
        </SubmitButton>
      </form>
      {secret && (
        <Alert tone="warning" className="grid max-w-3xl gap-2" aria-label="The new token's secret">
          <p className="font-medium">Your new token: copy it now, it will not be shown again.</p>
          <div className="flex items-center gap-2">
            <code
              data-testid="token-secret"
              className="min-w-0 rounded bg-muted px-2 py-1 text-xs [overflow-wrap:anywhere]"
            >
              {secret}
            </code>
            <CopyButton value={secret} label="Copy the token" />
          </div>
          <p className="text-xs text-muted-foreground">
            Try it:{" "}
            <code className="[overflow-wrap:anywhere]">
              curl -H &quot;Authorization: Bearer {secret.slice(0, 9)}…&quot; {origin}
              /api/v1/findings?severity=CRITICAL
            </code>
          </p>
        </Alert>
      )}
    </div>
  );
}
