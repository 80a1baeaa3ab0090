import { z } from "zod";
import { fieldErrorsOf, formText, type FieldErrors } from "@/lib/actions/form-values";
import { emailSchema, passwordSchema, roleSchema } from "./schema";

// The Users page's forms: how a post is read and checked, the same in the browser before sending
// and in the server action after (which also checks who asks, and what only the database knows).

const newPassword = z
  .object({ password: passwordSchema, repeat: z.string() })
  .refine((p) => p.password === p.repeat, { path: ["repeat"], message: "The passwords do not match." });

export const addUserFormSchema = z
  .object({
    email: emailSchema,
    name: z.string().trim().max(100, "A name is at most 100 characters.").optional(),
    role: roleSchema,
  })
  .and(newPassword);

export const passwordFormSchema = newPassword;

export function readAddUserForm(form: FormData) {
  return {
    email: formText(form, "email"),
    name: formText(form, "name") || undefined,
    role: formText(form, "role"),
    ...readPasswordForm(form),
  };
}

export function readPasswordForm(form: FormData) {
  return { password: formText(form, "password"), repeat: formText(form, "repeat") };
}

const errorsOf = <T>(parsed: z.ZodSafeParseResult<T>): FieldErrors =>
  parsed.success ? {} : fieldErrorsOf(parsed.error.issues);

export const checkAddUserForm = (form: FormData) =>
  errorsOf(addUserFormSchema.safeParse(readAddUserForm(form)));
export const checkPasswordForm = (form: FormData) =>
  errorsOf(passwordFormSchema.safeParse(readPasswordForm(form)));
