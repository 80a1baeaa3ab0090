"use client";

import { signIn } from "next-auth/react";
import { ActionMessage } from "@/components/forms/action-message";
import { SubmitButton } from "@/components/forms/submit-button";
import { useActionForm } from "@/components/forms/use-action-form";
import { Card, CardContent } from "@/components/ui/card";
import { FormField } from "@/components/ui/form-field";
import { fieldErrorsOf, formText } from "@/lib/actions/form-values";
import type { ActionResult } from "@/lib/actions/result-shape";
import { credentialsSchema } from "@/lib/auth/credentials";
import { safeCallbackUrl, signInErrorMessage } from "@/lib/auth/messages";

const readCredentials = (form: FormData) => ({
  email: formText(form, "email"),
  password: formText(form, "password"),
});

function checkCredentials(form: FormData) {
  const parsed = credentialsSchema.safeParse(readCredentials(form));
  return parsed.success ? {} : fieldErrorsOf(parsed.error.issues);
}

export function LoginForm({ callbackUrl, initialError }: { callbackUrl: string; initialError?: string }) {
  // next-auth signs in from the browser; the form treats it as its action.
  async function signInAction(_previous: ActionResult, form: FormData): Promise<ActionResult> {
    const result = await signIn("credentials", { ...readCredentials(form), redirect: false });
    if (!result || result.error)
      return { ok: false, message: signInErrorMessage(result?.error ?? "CredentialsSignin") };
    // Checked here too: the browser must never be sent to another origin after sign-in.
    window.location.assign(safeCallbackUrl(callbackUrl, window.location.origin));
    return { ok: true };
  }
  const { result, errors, pending, formProps } = useActionForm(signInAction, {
    check: checkCredentials,
    initial: { ok: false, message: initialError },
  });

  return (
    <Card>
      <CardContent className="p-6">
        <form {...formProps} className="flex flex-col gap-4" aria-label="Sign in">
          <ActionMessage result={result} id="login-error" />
          <FormField
            id="email"
            label="Email"
            name="email"
            type="email"
            autoComplete="username"
            required
            describedBy="login-error"
            errors={errors.email}
          />
          <FormField
            id="password"
            label="Password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            describedBy="login-error"
            errors={errors.password}
          />
          <SubmitButton pending={pending} pendingLabel="Signing in…" className="w-full">
            Sign in
          </SubmitButton>
        </form>
      </CardContent>
    </Card>
  );
}
