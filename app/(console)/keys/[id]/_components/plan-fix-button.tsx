"use client";

import { ActionMessage } from "@/components/forms/action-message";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { planFix } from "../../../fixes/actions";

/** Plans a fix of this key (the policy's maximum period); the plan's page opens on success. */
export function PlanFixButton({ keyArn }: { keyArn: string }) {
  const { result, pending, formProps } = useActionForm(planFix);
  return (
    <form {...formProps} className="grid justify-items-end">
      <input type="hidden" name="selection" value="keys" />
      <input type="hidden" name="key" value={keyArn} />
      <input type="hidden" name="period" value="" />
      <Button type="submit" size="sm" disabled={pending}>
        {pending ? "Planning…" : "Plan a fix"}
      </Button>
      {/* Its margin only when it says something: the button lines up with the page's other actions. */}
      <ActionMessage result={result} className="mt-2 empty:mt-0" />
    </form>
  );
}
