"use client";

import { useActionState } from "react";
import { ActionMessage } from "@/components/forms/action-message";
import { Button } from "@/components/ui/button";
import { initialResult, type ActionResult } from "@/lib/actions/result-shape";

/** Starts a scan of every enabled account (the page passes the server action: admins only). */
export function ScanNowButton({ action }: { action: (prev: ActionResult) => Promise<ActionResult> }) {
  const [result, formAction, pending] = useActionState(action, initialResult);
  return (
    <form action={formAction} className="flex max-w-xs flex-col items-end gap-2">
      <Button type="submit" disabled={pending}>
        {pending ? "Starting…" : "Scan now"}
      </Button>
      <ActionMessage result={result} />
    </form>
  );
}
