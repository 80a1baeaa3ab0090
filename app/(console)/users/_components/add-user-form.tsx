"use client";

import { ActionMessage } from "@/components/forms/action-message";
import { SubmitButton } from "@/components/forms/submit-button";
import { useActionForm } from "@/components/forms/use-action-form";
import { FormField } from "@/components/ui/form-field";
import { checkAddUserForm } from "@/lib/users/forms";
import { addUserAction } from "../actions";
import { PasswordFields } from "./password-fields";
import { RoleSelect } from "./role-select";

export function AddUserForm() {
  const {
    result,
    errors: e,
    pending,
    formProps,
  } = useActionForm(addUserAction, {
    check: checkAddUserForm,
    resetOnSuccess: true,
  });
  return (
    <form {...formProps} className="grid max-w-2xl gap-4" aria-label="Add user">
      <ActionMessage result={result} />
      <div className="grid grid-cols-2 gap-4">
        <FormField
          id="new-user-email"
          label="Email"
          errors={e.email}
          name="email"
          type="email"
          autoComplete="off"
          required
        />
        <FormField
          id="new-user-name"
          label="Name (optional)"
          errors={e.name}
          name="name"
          autoComplete="off"
        />
      </div>
      <RoleSelect id="new-user-role" errors={e.role} />
      <PasswordFields idPrefix="new-user" errors={e} />
      <SubmitButton pending={pending} pendingLabel="Adding…">
        Add user
      </SubmitButton>
    </form>
  );
}
