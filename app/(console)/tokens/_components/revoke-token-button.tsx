"use client";

import { useActionState } from "react";
import { ActionMessage } from "@/components/forms/action-message";
import { Button } from "@/components/ui/button";
import { initialResult } from "@/lib/actions/result-shape";
import { revokeTokenAction } from "../actions";

export function RevokeTokenButton({ id, name }: { id: string; name: string }) {
  const [result, action, pending] = useActionState(revokeTokenAction, initialResult);
  return (
    <form action={action} className="grid max-w-xs justify-items-start gap-1">
      <input type="hidden" name="id" value={id} />
      <Button type="submit" size="sm" variant="destructive" disabled={pending} aria-label={`Revoke ${name}`}>
        Revoke
      </Button>
      <ActionMessage result={result} />
    </form>
  );
}
