"use client";

import { useActionState } from "react";
import { ActionMessage } from "@/components/forms/action-message";
import { Button } from "@/components/ui/button";
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
      <div>
        <Button type="submit" size="sm" variant="outline" disabled={pending}>
          {pending ? "Saving…" : "Change role"}
        </Button>
      </div>
      <ActionMessage result={result} />
    </form>
  );
}
