"use client";

import { ActionMessage } from "@/components/forms/action-message";
import { SubmitButton } from "@/components/forms/submit-button";
import { useActionForm } from "@/components/forms/use-action-form";
import { checkPasswordForm } from "@/lib/users/forms";
import { resetPasswordAction } from "../actions";
import { PasswordFields } from "./password-fields";

export function PasswordForm({ userId }: { userId: string }) {
  const { result, errors, pending, formProps } = useActionForm(resetPasswordAction, {
    check: checkPasswordForm,
    resetOnSuccess: true,
  });
  return (
    <form {...formProps} className="grid gap-3" aria-label="Reset password">
      <ActionMessage result={result} />
      <input type="hidden" name="userId" value={userId} />
      <PasswordFields idPrefix={`reset-${userId}`} errors={errors} />
      <SubmitButton pending={pending} size="sm" variant="outline">
        Set new password
      </SubmitButton>
    </form>
  );
}
