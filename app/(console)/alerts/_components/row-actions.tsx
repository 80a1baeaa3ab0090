"use client";

import { useActionState } from "react";
import { ActionMessage } from "@/components/forms/action-message";
import { Button } from "@/components/ui/button";
import { initialResult } from "@/lib/actions/result-shape";
import {
  removeDestinationAction,
  removeRuleAction,
  setRuleEnabledAction,
  testDestinationAction,
} from "../actions";

/** Send test, edit and remove, on a destination's row. */
export function DestinationActions({ id, name }: { id: string; name: string }) {
  const [tested, test, testing] = useActionState(testDestinationAction, initialResult);
  const [removed, remove, removing] = useActionState(removeDestinationAction, initialResult);
  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap items-center gap-2">
        <form action={test}>
          <input type="hidden" name="id" value={id} />
          <Button size="sm" variant="outline" disabled={testing} aria-label={`Send test to ${name}`}>
            {testing ? "Sending…" : "Send test"}
          </Button>
        </form>
        <a className="text-sm text-primary underline" href={`/alerts?destination=${encodeURIComponent(id)}`}>
          Edit
        </a>
        <details>
          <summary className="cursor-pointer text-sm text-destructive">Remove…</summary>
          <form action={remove} className="mt-2 grid gap-1">
            <input type="hidden" name="id" value={id} />
            <p className="text-xs text-muted-foreground">Its rules and its delivery log go with it.</p>
            <Button size="sm" variant="destructive" disabled={removing} aria-label={`Remove ${name}`}>
              Remove
            </Button>
          </form>
        </details>
      </div>
      <ActionMessage result={tested.message ? tested : removed} />
    </div>
  );
}

/** Enable or disable, edit and remove, on a rule's row. */
export function RuleActions({ id, name, enabled }: { id: string; name: string; enabled: boolean }) {
  const [toggled, toggle, toggling] = useActionState(setRuleEnabledAction, initialResult);
  const [removed, remove, removing] = useActionState(removeRuleAction, initialResult);
  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap items-center gap-2">
        <form action={toggle}>
          <input type="hidden" name="id" value={id} />
          <input type="hidden" name="enabled" value={String(!enabled)} />
          <Button
            size="sm"
            variant="outline"
            disabled={toggling}
            aria-label={`${enabled ? "Disable" : "Enable"} ${name}`}
          >
            {enabled ? "Disable" : "Enable"}
          </Button>
        </form>
        <a className="text-sm text-primary underline" href={`/alerts?rule=${encodeURIComponent(id)}`}>
          Edit
        </a>
        <form action={remove}>
          <input type="hidden" name="id" value={id} />
          <Button size="sm" variant="outline" disabled={removing} aria-label={`Remove ${name}`}>
            Remove
          </Button>
        </form>
      </div>
      <ActionMessage result={toggled.message ? toggled : removed} />
    </div>
  );
}
