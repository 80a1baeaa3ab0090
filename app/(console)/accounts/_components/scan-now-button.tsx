"use client";

import { useActionState } from "react";
import { ActionMessage } from "@/components/forms/action-message";
import { Button } from "@/components/ui/button";
import { initialResult } from "@/lib/actions/result-shape";
import { scanNowAction } from "../actions";

export function ScanNowButton() {
  const [result, action, pending] = useActionState(scanNowAction, initialResult);
  return (
    <form action={action} className="flex flex-col items-end gap-2">
      <Button type="submit" disabled={pending}>
        {pending ? "Starting…" : "Scan now"}
      </Button>
      <ActionMessage result={result} />
    </form>
  );
}
