// Reading a posted form and naming what is wrong with it, the same in the browser (before sending)
// and in the server action (after): plain functions over FormData and zod issues.

/** Messages by field name (the control's `name`), as forms show them beside their fields. */
export type FieldErrors = Record<string, string[]>;

/** The text of field `name`, or "" when it is missing or a file. */
export function formText(form: FormData, name: string): string {
  const v = form.get(name);
  return typeof v === "string" ? v : "";
}

/** The text of field `name`, or undefined when it is missing or blank. */
export function formOptional(form: FormData, name: string): string | undefined {
  const v = formText(form, name);
  return v.trim() === "" ? undefined : v;
}

/** Every value of a repeated field (checkboxes of one name). */
export function formTexts(form: FormData, name: string): string[] {
  return form.getAll(name).filter((v): v is string => typeof v === "string");
}

/** Each issue under the field its path starts with; an issue about the whole form under "form". */
export function fieldErrorsOf(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const key = String(issue.path[0] ?? "form");
    (errors[key] ??= []).push(issue.message);
  }
  return errors;
}

export const hasErrors = (errors: FieldErrors) => Object.keys(errors).length > 0;
