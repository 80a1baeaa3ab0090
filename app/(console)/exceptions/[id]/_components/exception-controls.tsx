"use client";

import Link from "next/link";
import { useActionState } from "react";
import { ActionMessage } from "@/components/forms/action-message";
import { Button } from "@/components/ui/button";
import { initialResult } from "@/lib/actions/result-shape";
import { approveExceptionAction, revokeExceptionAction } from "../../actions";

/**
 * Approve, revoke and change, as far as the user may (the actions check again). The outcome stays
 * shown after the page is refreshed without the button that caused it (an approved exception has
 * no Approve button).
 */
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
  const [approved, approveAction, approving] = useActionState(approveExceptionAction, initialResult);
  const [revoked, revokeAction, revoking] = useActionState(revokeExceptionAction, initialResult);
  return (
    <div className="grid gap-3">
      <div className="flex flex-wrap items-start gap-3">
        {approve ? (
          <form action={approveAction}>
            <input type="hidden" name="id" value={id} />
            <Button type="submit" size="sm" disabled={approving}>
              {approving ? "Approving…" : "Approve"}
            </Button>
          </form>
        ) : null}
        {change ? (
          <Button asChild size="sm" variant="outline">
            <Link href={`/exceptions/new?replaces=${encodeURIComponent(id)}`}>Change</Link>
          </Button>
        ) : null}
        {revoke ? (
          <form action={revokeAction}>
            <input type="hidden" name="id" value={id} />
            <Button type="submit" size="sm" variant="destructive" disabled={revoking}>
              {revoking ? "Revoking…" : "Revoke"}
            </Button>
          </form>
        ) : null}
      </div>
      <ActionMessage result={approved} />
      <ActionMessage result={revoked} />
    </div>
  );
}
