"use client";

import { useActionState } from "react";
import { ActionMessage } from "@/components/forms/action-message";
import { Button } from "@/components/ui/button";
import { initialResult } from "@/lib/actions/result-shape";
import { setAccountScopeAction } from "../actions";

export interface AccountOption {
  id: string;
  name: string;
}

export function ScopeForm({
  userId,
  accounts,
  selected,
}: {
  userId: string;
  accounts: AccountOption[];
  selected: string[];
}) {
  const [result, action, pending] = useActionState(setAccountScopeAction, initialResult);
  return (
    <form action={action} className="grid gap-3" aria-label="Account scope">
      <input type="hidden" name="userId" value={userId} />
      <fieldset className="grid gap-1.5" aria-describedby={`scope-${userId}-help`}>
        <legend className="mb-1 text-sm font-medium">Accounts this viewer sees</legend>
        <p id={`scope-${userId}-help`} className="text-xs text-muted-foreground">
          None checked: every account, including accounts added later.
        </p>
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
      </fieldset>
      <div>
        <Button type="submit" size="sm" variant="outline" disabled={pending || accounts.length === 0}>
          {pending ? "Saving…" : "Save account scope"}
        </Button>
      </div>
      <ActionMessage result={result} />
    </form>
  );
}
