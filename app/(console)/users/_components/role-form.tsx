"use client";

import { ActionMessage } from "@/components/forms/action-message";
import { SubmitButton } from "@/components/forms/submit-button";
import { useActionForm } from "@/components/forms/use-action-form";
import type { RoleName } from "@/lib/users/schema";
import { changeRoleAction } from "../actions";
import { RoleSelect } from "./role-select";

export function RoleForm({ userId, role }: { userId: string; role: RoleName }) {
  const { result, errors, pending, formProps } = useActionForm(changeRoleAction);
  return (
    <form {...formProps} className="grid gap-3" aria-label="Change role">
      <ActionMessage result={result} />
      <input type="hidden" name="userId" value={userId} />
      <RoleSelect id={`role-${userId}`} defaultValue={role} errors={errors.role} />
      <SubmitButton pending={pending} size="sm" variant="outline">
        Change role
      </SubmitButton>
    </form>
  );
}
