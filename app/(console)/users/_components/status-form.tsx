"use client";

import { ActionMessage } from "@/components/forms/action-message";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { setUserDisabledAction } from "../actions";

export function StatusForm({
  userId,
  email,
  disabled,
}: {
  userId: string;
  email: string;
  disabled: boolean;
}) {
  const { result, pending, formProps } = useActionForm(setUserDisabledAction);
  return (
    <form {...formProps} className="grid gap-3" aria-label={disabled ? "Enable user" : "Disable user"}>
      <ActionMessage result={result} />
      <input type="hidden" name="userId" value={userId} />
      <input type="hidden" name="disabled" value={String(!disabled)} />
      <p className="text-sm">
        {disabled
          ? `${email} is disabled and cannot sign in.`
          : `${email} can sign in. Disabling ends their sessions at once.`}
      </p>
      <div>
        <Button type="submit" size="sm" variant={disabled ? "outline" : "destructive"} disabled={pending}>
          {disabled ? "Enable" : "Disable"} {email}
        </Button>
      </div>
    </form>
  );
}
