"use client";

import { useActionState } from "react";
import { ActionMessage } from "@/components/forms/action-message";
import { Button } from "@/components/ui/button";
import { initialResult, type ActionResult } from "@/lib/actions/result-shape";
import { cancelFixAction, rollbackFixAction, runFixAction } from "../../actions";
import { ApproveDialog } from "./approve-dialog";

type Action = (previous: ActionResult, form: FormData) => Promise<ActionResult>;

/** One button that posts the plan's id to its action, and its outcome under it. */
function PlanButton({
  id,
  action,
  label,
  pendingLabel,
  variant,
}: {
  id: string;
  action: Action;
  label: string;
  pendingLabel: string;
  variant?: "outline" | "destructive";
}) {
  const [result, dispatch, pending] = useActionState(action, initialResult);
  return (
    <div className="grid gap-2">
      <form action={dispatch}>
        <input type="hidden" name="id" value={id} />
        <Button type="submit" size="sm" variant={variant} disabled={pending}>
          {pending ? pendingLabel : label}
        </Button>
      </form>
      <ActionMessage result={result} />
    </div>
  );
}

export interface PlanControlsProps {
  id: string;
  changeCount: number;
  /** Approve offered (an admin, the plan waits for approval). */
  approve: boolean;
  /** Why this admin may not approve it, shown instead of the button. */
  approveRefusal: string | null;
  run: "run" | "resume" | null;
  cancel: boolean;
  rollback: boolean;
}

/** What the user may do with the plan now; each action checks again on the server. */
export function PlanControls(p: PlanControlsProps) {
  return (
    <div className="flex flex-wrap items-start gap-3" data-testid="plan-controls">
      {p.approve && !p.approveRefusal ? <ApproveDialog id={p.id} changeCount={p.changeCount} /> : null}
      {p.approve && p.approveRefusal ? (
        <p className="text-sm text-muted-foreground" data-testid="approve-refusal">
          {p.approveRefusal}
        </p>
      ) : null}
      {p.run ? (
        <PlanButton
          id={p.id}
          action={runFixAction}
          label={p.run === "resume" ? "Resume" : "Run"}
          pendingLabel="Starting…"
        />
      ) : null}
      {p.cancel ? (
        <PlanButton
          id={p.id}
          action={cancelFixAction}
          label="Cancel plan"
          pendingLabel="Cancelling…"
          variant="destructive"
        />
      ) : null}
      {p.rollback ? (
        <PlanButton
          id={p.id}
          action={rollbackFixAction}
          label="Plan rollback"
          pendingLabel="Planning…"
          variant="outline"
        />
      ) : null}
    </div>
  );
}
