"use client";

import Link from "next/link";
import { useActionState } from "react";
import { ActionMessage } from "@/components/forms/action-message";
import { Button } from "@/components/ui/button";
import { initialResult, type ActionResult } from "@/lib/actions/result-shape";
import { approveExceptionAction, revokeExceptionAction } from "../../actions";

type Action = (prev: ActionResult, form: FormData) => Promise<ActionResult>;

function ActionButton({
  id,
  serverAction,
  label,
  pendingLabel,
  variant,
}: {
  id: string;
  serverAction: Action;
  label: string;
  pendingLabel: string;
  variant?: "default" | "destructive" | "outline";
}) {
  const [result, action, pending] = useActionState(serverAction, initialResult);
  return (
    <form action={action} className="grid gap-2">
      <input type="hidden" name="id" value={id} />
      <div>
        <Button type="submit" size="sm" variant={variant} disabled={pending}>
          {pending ? pendingLabel : label}
        </Button>
      </div>
      <ActionMessage result={result} />
    </form>
  );
}

/** Approve, revoke and change, as far as the user may (the actions check again). */
export function ExceptionControls({
  id,
  approve,
  revoke,
  change,
}: {
  id: string;
  approve: boolean;
  revoke: boolean;
  change: boolean;
}) {
  if (!approve && !revoke && !change) return null;
  return (
    <div className="flex flex-wrap items-start gap-3">
      {approve ? (
        <ActionButton
          id={id}
          serverAction={approveExceptionAction}
          label="Approve"
          pendingLabel="Approving…"
        />
      ) : null}
      {change ? (
        <Button asChild size="sm" variant="outline">
          <Link href={`/exceptions/new?replaces=${encodeURIComponent(id)}`}>Change</Link>
        </Button>
      ) : null}
      {revoke ? (
        <ActionButton
          id={id}
          serverAction={revokeExceptionAction}
          label="Revoke"
          pendingLabel="Revoking…"
          variant="destructive"
        />
      ) : null}
    </div>
  );
}
