"use client";

import { useActionState } from "react";
import { ActionMessage } from "@/components/forms/action-message";
import { SubmitButton } from "@/components/forms/submit-button";
import { initialResult } from "@/lib/actions/result-shape";
import { resetPasswordAction } from "../actions";
import { PasswordFields } from "./password-fields";

export function PasswordForm({ userId }: { userId: string }) {
  const [result, action, pending] = useActionState(resetPasswordAction, initialResult);
  return (
    <form action={action} className="grid gap-3" aria-label="Reset password">
      <input type="hidden" name="userId" value={userId} />
      <PasswordFields idPrefix={`reset-${userId}`} errors={result.errors ?? {}} />
      <SubmitButton pending={pending} size="sm" variant="outline">
        Set new password
      </SubmitButton>
      <ActionMessage result={result} />
    </form>
  );
}
