import { z } from "zod";
import { formText, type FieldErrors } from "@/lib/actions/form-values";

// A token's name and expiry, checked the same in the browser (the tokens page's form), the server
// action, the CLI and the service.

export const DEFAULT_TOKEN_DAYS = 90;
export const MAX_TOKEN_DAYS = 365;
const DAY = 86_400_000;

export const tokenNameSchema = z
  .string()
  .trim()
  .min(1, "Name the token (what it is for, e.g. “SIEM import”).")
  .max(100, "A token's name is at most 100 characters.")
  .refine((s) => !/[\u0000-\u001f]/.test(s), "A token's name cannot hold control characters.");

/**
 * The expiry of a token made at `now` for the day `expires` (YYYY-MM-DD, the end of that day in UTC),
 * or the default 90 days; at most a year ahead.
 */
export function tokenExpiry(expires: string | undefined | null, now: Date): Date | { error: string } {
  if (!expires) return new Date(now.getTime() + DEFAULT_TOKEN_DAYS * DAY);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(expires)) return { error: "Give the expiry as a date, YYYY-MM-DD." };
  const day = new Date(`${expires}T00:00:00Z`);
  if (Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== expires)
    return { error: `${expires} is not a calendar date.` };
  const end = new Date(day.getTime() + DAY);
  if (end.getTime() <= now.getTime()) return { error: "The expiry must be a day after today." };
  if (end.getTime() > now.getTime() + MAX_TOKEN_DAYS * DAY + DAY)
    return { error: `A token lasts at most ${MAX_TOKEN_DAYS} days: choose an earlier expiry.` };
  return end;
}

/** The day (YYYY-MM-DD) a token made at `now` ends by default: the form's initial expiry. */
export const defaultTokenDay = (now = new Date()) =>
  new Date(now.getTime() + DEFAULT_TOKEN_DAYS * DAY).toISOString().slice(0, 10);
export const lastTokenDay = (now = new Date()) =>
  new Date(now.getTime() + MAX_TOKEN_DAYS * DAY).toISOString().slice(0, 10);

/** The tokens page's form: what is wrong with each field, in the browser and in the action. */
export function checkTokenForm(form: FormData, now = new Date()): FieldErrors {
  const errors: FieldErrors = {};
  const name = tokenNameSchema.safeParse(formText(form, "name"));
  if (!name.success) errors.name = [name.error.issues[0]!.message];
  const expiry = tokenExpiry(formText(form, "expires").trim() || null, now);
  if ("error" in expiry) errors.expires = [expiry.error];
  return errors;
}
