"use client";

import { useActionState, useState } from "react";
import { ActionMessage } from "@/components/forms/action-message";
import { RadioChoices } from "@/components/forms/radio-choices";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { FieldError } from "@/components/ui/form-field";
import { initialResult } from "@/lib/actions/result-shape";
import { checkOrganizationRemoval } from "@/lib/organizations/form";
import { removeOrganizationAction, syncNowAction } from "../actions";

/** Sync now, edit, and remove (asking whether its accounts stay). */
export function OrganizationActions({ id, name, editable }: { id: string; name: string; editable: boolean }) {
  const [synced, sync, syncing] = useActionState(syncNowAction, initialResult);
  const removal = useActionForm(removeOrganizationAction, { check: checkOrganizationRemoval });
  const [accounts, setAccounts] = useState<"keep" | "remove">("keep");
  const errorId = `remove-org-${id}-error`;
  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap items-start gap-2">
        <form action={sync}>
          <input type="hidden" name="id" value={id} />
          <Button size="sm" variant="outline" disabled={syncing} aria-label={`Sync ${name} now`}>
            {syncing ? "Starting…" : "Sync now"}
          </Button>
        </form>
        {editable ? (
          <a
            className="py-1 text-sm text-primary underline"
            href={`/organizations?edit=${encodeURIComponent(id)}`}
            aria-label={`Edit ${name}`}
          >
            Edit
          </a>
        ) : null}
        <details>
          <summary className="cursor-pointer text-sm text-destructive">Remove…</summary>
          <form {...removal.formProps} className="mt-2 grid gap-2">
            <input type="hidden" name="id" value={id} />
            <fieldset className="grid gap-1" aria-describedby={removal.errors.accounts ? errorId : undefined}>
              <legend className="text-sm">Its accounts:</legend>
              <RadioChoices
                name="accounts"
                choices={[
                  ["keep", "Keep them (as accounts added by hand)"],
                  ["remove", "Remove them and their keys' data"],
                ]}
                value={accounts}
                onChange={setAccounts}
                className="text-sm"
              />
            </fieldset>
            <FieldError id={errorId} errors={removal.errors.accounts} />
            <Button size="sm" variant="destructive" disabled={removal.pending}>
              Remove {name}
            </Button>
          </form>
        </details>
      </div>
      <ActionMessage result={synced.message ? synced : removal.result} />
    </div>
  );
}
