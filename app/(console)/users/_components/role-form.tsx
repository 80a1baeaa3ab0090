"use client";

import { useActionState } from "react";
import { ActionMessage } from "@/components/forms/action-message";
import { SubmitButton } from "@/components/forms/submit-button";
import { initialResult } from "@/lib/actions/result-shape";
import type { RoleName } from "@/lib/users/schema";
import { changeRoleAction } from "../actions";
import { RoleSelect } from "./role-select";

export function RoleForm({ userId, role }: { userId: string; role: RoleName }) {
  const [result, action, pending] = useActionState(changeRoleAction, initialResult);
  return (
    <form action={action} className="grid gap-3" aria-label="Change role">
      <input type="hidden" name="userId" value={userId} />
      <RoleSelect id={`role-${userId}`} defaultValue={role} errors={result.errors?.role} />
      <SubmitButton pending={pending} size="sm" variant="outline">
        Change role
      </SubmitButton>
      <ActionMessage result={result} />
    </form>
  );
}
