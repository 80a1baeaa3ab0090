import { headers } from "next/headers";
import { clientAddressOf } from "@/lib/audit/client-address";
import { AuthError } from "@/lib/auth/session";
import { isUnstorableText, UNSTORABLE_TEXT_MESSAGE } from "@/lib/db/errors";
import { logger } from "@/lib/log";

import type { ActionResult } from "./result-shape";

export type { ActionResult } from "./result-shape";

/** The client's address for the audit log (see clientAddressOf). */
export async function clientIp(): Promise<string | null> {
  const h = await headers();
  return clientAddressOf((name) => h.get(name));
}

/**
 * Runs an action body: an AuthError becomes its message (401/403 meaning), text the database cannot
 * store a sentence that says so, anything unexpected a generic sentence (logged on the server),
 * never a stack trace in the browser.
 */
export async function guarded(fn: () => Promise<ActionResult>): Promise<ActionResult> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof AuthError || err instanceof NotAFormError) return { ok: false, message: err.message };
    // redirect()/notFound() signal by throwing: let Next handle them.
    if (
      err instanceof Error &&
      "digest" in err &&
      String((err as { digest: unknown }).digest).startsWith("NEXT_")
    )
      throw err;
    // Input PostgreSQL cannot hold as text (a NUL character): the person's to correct, not a failure.
    if (isUnstorableText(err)) return { ok: false, message: UNSTORABLE_TEXT_MESSAGE };
    logger.error({ err: err instanceof Error ? err.message : String(err) }, "action failed");
    return { ok: false, message: "The change could not be saved. Nothing was changed; try again." };
  }
}

class NotAFormError extends Error {}

/**
 * The form an action was called with. The console's forms always send one; a call with another
 * body (a script, a replayed request) gets a sentence, like any other refused input, not an error.
 */
export function formOf(form: unknown): FormData {
  if (form instanceof FormData) return form;
  throw new NotAFormError("Nothing was changed: this action takes the form of its console page.");
}

export function formString(form: FormData, name: string): string | undefined {
  const v = formOf(form).get(name);
  return typeof v === "string" && v.trim() !== "" ? v : undefined;
}
