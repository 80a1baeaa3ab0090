"use client";

import { useActionState } from "react";
import { ActionMessage } from "@/components/forms/action-message";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { FieldError } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { checkAccountRemoval } from "@/lib/accounts/form";
import { initialResult } from "@/lib/actions/result-shape";
import { removeAccountAction, setAccountEnabledAction, testAccessAction } from "../actions";

/** `editHref`: this page (its filters and page kept) with the account open in the form below. */
export function AccountActions({
  id,
  enabled,
  editHref,
}: {
  id: string;
  enabled: boolean;
  editHref: string;
}) {
  const [tested, test, testing] = useActionState(testAccessAction, initialResult);
  const [toggled, toggle, toggling] = useActionState(setAccountEnabledAction, initialResult);
  const removal = useActionForm(removeAccountAction, { check: checkAccountRemoval });
  const confirmError = removal.errors.confirm;
  const confirmErrorId = `remove-${id}-error`;
  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap items-center gap-2">
        <form action={test}>
          <input type="hidden" name="id" value={id} />
          <Button size="sm" variant="outline" disabled={testing}>
            {testing ? "Testing…" : "Test access"}
          </Button>
        </form>
        <form action={toggle}>
          <input type="hidden" name="id" value={id} />
          <input type="hidden" name="enabled" value={String(!enabled)} />
          <Button size="sm" variant="outline" disabled={toggling}>
            {enabled ? "Disable" : "Enable"}
          </Button>
        </form>
        <a className="text-sm text-primary underline" href={editHref}>
          Edit
        </a>
        <details>
          <summary className="cursor-pointer text-sm text-destructive">Remove…</summary>
          <form {...removal.formProps} className="mt-2 grid gap-1">
            <input type="hidden" name="id" value={id} />
            <div className="flex items-center gap-2">
              <Input
                name="confirm"
                aria-label={`Type ${id} to confirm`}
                aria-invalid={!!confirmError}
                aria-describedby={confirmError ? confirmErrorId : undefined}
                placeholder={`Type ${id}`}
                className="h-8 w-40"
              />
              <Button size="sm" variant="destructive" disabled={removal.pending}>
                Remove
              </Button>
            </div>
            <FieldError id={confirmErrorId} errors={confirmError} />
          </form>
        </details>
      </div>
      <ActionMessage result={tested.message ? tested : toggled.message ? toggled : removal.result} />
    </div>
  );
}
