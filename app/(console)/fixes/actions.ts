"use server";

// placeholder: replaced by the fix plans work
import type { ActionResult } from "@/lib/actions/result";
import { refusal } from "@/lib/actions/result-shape";

export async function planFix(previous: ActionResult, form: FormData): Promise<ActionResult> {
  void previous;
  void form;
  return refusal("Fix plans are not available yet.");
}
