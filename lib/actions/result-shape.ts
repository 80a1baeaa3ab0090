import type { FieldErrors } from "./form-values";

/** What every server action returns to its form: a message, and field errors for bad input. */
export interface ActionResult {
  ok: boolean;
  message?: string;
  errors?: FieldErrors;
}

export const initialResult: ActionResult = { ok: false };

/** The summary over a form whose fields were refused; the fields carry the details. */
export const FIX_FIELDS_SAVED = "Nothing was saved: fix the fields marked below.";
/** The same when the browser's check stopped the form before it was sent. */
export const FIX_FIELDS_NOT_SENT = "Nothing was sent: fix the fields marked below.";

/** A refused form: each message beside its field, and a summary on top. */
export function refusedForm(errors: FieldErrors, message: string = FIX_FIELDS_SAVED): ActionResult {
  return { ok: false, message, errors };
}

/** A service's refusal: beside the field it names, under the summary; else the form's message. */
export function refusal(message: string, field?: string): ActionResult {
  return field ? refusedForm({ [field]: [message] }) : { ok: false, message };
}
