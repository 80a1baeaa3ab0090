"use client";

import { useEffect, useRef } from "react";
import { ActionMessage } from "@/components/forms/action-message";
import { SubmitButton } from "@/components/forms/submit-button";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { approveFixAction } from "../../actions";

/**
 * Approve, in a dialog where the admin types the number of keys the plan changes: a check that
 * they know what they approve. The server checks the number, the role and the second person again.
 */
export function ApproveDialog({ id, changeCount }: { id: string; changeCount: number }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const { result, errors, pending, formProps } = useActionForm(approveFixAction, { resetOnSuccess: true });
  useEffect(() => {
    if (result.ok) dialog.current?.close();
  }, [result]);
  return (
    <>
      <Button type="button" size="sm" onClick={() => dialog.current?.showModal()}>
        Approve…
      </Button>
      {result.ok ? <ActionMessage result={result} /> : null}
      <dialog
        ref={dialog}
        aria-labelledby="approve-heading"
        className="m-auto w-[min(28rem,calc(100vw-2rem))] rounded-lg border border-border bg-card p-5 text-foreground shadow-lg backdrop:bg-foreground/40"
      >
        <form {...formProps} className="grid gap-4">
          <h2 id="approve-heading" className="text-base font-semibold">
            Approve this fix
          </h2>
          <p className="text-sm">
            It will change {changeCount === 1 ? "1 key" : `${changeCount} keys`} in AWS once it is run. Type
            the number of keys to approve it.
          </p>
          {!result.ok ? <ActionMessage result={result} id="approve-message" /> : null}
          <input type="hidden" name="id" value={id} />
          <FormField
            id="approve-count"
            name="count"
            label="Number of keys"
            inputMode="numeric"
            autoComplete="off"
            errors={errors.count}
            describedBy={result.message ? "approve-message" : undefined}
          />
          <div className="flex flex-wrap gap-3">
            <SubmitButton pending={pending} pendingLabel="Approving…">
              Approve
            </SubmitButton>
            <Button type="button" variant="outline" onClick={() => dialog.current?.close()}>
              Cancel
            </Button>
          </div>
        </form>
      </dialog>
    </>
  );
}
