"use client";

import { useState } from "react";
import { ActionMessage } from "@/components/forms/action-message";
import { CheckboxList } from "@/components/forms/checkbox-list";
import { RadioChoices } from "@/components/forms/radio-choices";
import { SubmitButton } from "@/components/forms/submit-button";
import { useActionForm } from "@/components/forms/use-action-form";
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
  const { result, errors, pending, formProps } = useActionForm(setAccountScopeAction);
  const [sees, setSees] = useState<"all" | "some">(scoped ? "some" : "all");
  const [chosen, setChosen] = useState(selected);
  return (
    <form {...formProps} className="grid gap-3" aria-label="Account scope">
      <ActionMessage result={result} />
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
      {accounts.length === 0 ? (
        <p className="text-sm text-muted-foreground">No AWS account is configured yet.</p>
      ) : (
        <CheckboxList
          id={`scope-${userId}-accounts`}
          legend="Accounts"
          name="account"
          options={accounts.map(
            (a) =>
              [
                a.id,
                <span key={a.id}>
                  {a.name} <span className="font-mono text-xs text-muted-foreground">{a.id}</span>
                </span>,
              ] as const,
          )}
          value={chosen}
          onChange={setChosen}
          errors={errors.accounts}
          disabled={sees === "all"}
          listClassName="max-h-56 sm:grid-cols-2"
        />
      )}
      <SubmitButton pending={pending} size="sm" variant="outline">
        Save account scope
      </SubmitButton>
    </form>
  );
}
