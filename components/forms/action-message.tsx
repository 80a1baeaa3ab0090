import { Alert } from "@/components/ui/alert";
import type { ActionResult } from "@/lib/actions/result-shape";

/** The outcome of a form's action, announced to screen readers; forms put it on top. */
export function ActionMessage({
  result,
  id,
  className,
}: {
  result: ActionResult;
  id?: string;
  className?: string;
}) {
  return (
    <div aria-live="polite" id={id} className={className}>
      {result.message ? <Alert tone={result.ok ? "info" : "error"}>{result.message}</Alert> : null}
    </div>
  );
}
