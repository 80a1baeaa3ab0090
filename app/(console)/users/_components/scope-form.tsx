"use client";

import { useActionState, useState } from "react";
import { ActionMessage } from "@/components/forms/action-message";
import { RadioChoices } from "@/components/forms/radio-choices";
import { SubmitButton } from "@/components/forms/submit-button";
import { FieldError } from "@/components/ui/form-field";
import { initialResult } from "@/lib/actions/result-shape";
import { setAccountScopeAction } from "../actions";

export interface AccountOption {
  id: string;
  name: string;
}

/** Every account, or only the checked ones (none checked: no account at all, never every one). */
export function ScopeForm({
  userId,
  accounts,
  scoped,
  selected,
}: {
  userId: string;
  accounts: AccountOption[];
  scoped: boolean;
  selected: string[];
}) {
  const [result, action, pending] = useActionState(setAccountScopeAction, initialResult);
  const [sees, setSees] = useState<"all" | "some">(scoped ? "some" : "all");
  const errorId = `scope-${userId}-error`;
  return (
    <form action={action} className="grid gap-3" aria-label="Account scope">
      <input type="hidden" name="userId" value={userId} />
      <fieldset className="grid gap-1.5 text-sm">
        <legend className="mb-1 font-medium">What this viewer sees</legend>
        <RadioChoices
          name="sees"
          choices={[
            ["all", "Every account, including accounts added later"],
            ["some", "Only the checked accounts (none checked: no account)"],
          ]}
          value={sees}
          onChange={setSees}
        />
      </fieldset>
      <fieldset
        className="grid gap-1.5"
        disabled={sees === "all"}
        aria-describedby={result.errors?.accounts ? errorId : undefined}
      >
        <legend className="mb-1 text-sm font-medium">Accounts</legend>
        {accounts.length === 0 ? (
          <p className="text-sm text-muted-foreground">No AWS account is configured yet.</p>
        ) : (
          <div className="grid max-h-56 gap-1 overflow-y-auto rounded-md border border-border p-2 text-sm sm:grid-cols-2">
            {accounts.map((a) => (
              <label key={a.id} className="flex items-center gap-2">
                <input type="checkbox" name="account" value={a.id} defaultChecked={selected.includes(a.id)} />
                <span>
                  {a.name} <span className="font-mono text-xs text-muted-foreground">{a.id}</span>
                </span>
              </label>
            ))}
          </div>
        )}
        <FieldError errors={result.errors?.accounts} id={errorId} />
      </fieldset>
      <SubmitButton pending={pending} size="sm" variant="outline">
        Save account scope
      </SubmitButton>
      <ActionMessage result={result} />
    </form>
  );
}
