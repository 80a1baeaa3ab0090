"use client";

import { useActionState } from "react";
import { ActionMessage } from "@/components/forms/action-message";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { initialResult } from "@/lib/actions/result-shape";
import { removeAccountAction, setAccountEnabledAction, testAccessAction } from "../actions";

export function AccountActions({ id, enabled }: { id: string; enabled: boolean }) {
  const [tested, test, testing] = useActionState(testAccessAction, initialResult);
  const [toggled, toggle, toggling] = useActionState(setAccountEnabledAction, initialResult);
  const [removed, remove, removing] = useActionState(removeAccountAction, initialResult);
  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap items-center gap-2">
        <form action={test}>
          <input type="hidden" name="id" value={id} />
          <Button size="sm" variant="outline" disabled={testing}>
            {testing ? "Testing…" : "Test access"}
          </Button>
        </form>
        <form action={toggle}>
          <input type="hidden" name="id" value={id} />
          <input type="hidden" name="enabled" value={String(!enabled)} />
          <Button size="sm" variant="outline" disabled={toggling}>
            {enabled ? "Disable" : "Enable"}
          </Button>
        </form>
        <a className="text-sm text-primary underline" href={`/accounts?edit=${id}`}>
          Edit
        </a>
        <details>
          <summary className="cursor-pointer text-sm text-destructive">Remove…</summary>
          <form action={remove} className="mt-2 flex items-center gap-2">
            <input type="hidden" name="id" value={id} />
            <Input
              name="confirm"
              aria-label={`Type ${id} to confirm`}
              placeholder={`Type ${id}`}
              className="h-8 w-40"
            />
            <Button size="sm" variant="destructive" disabled={removing}>
              Remove
            </Button>
          </form>
        </details>
      </div>
      <ActionMessage result={tested.message ? tested : toggled.message ? toggled : removed} />
    </div>
  );
}
