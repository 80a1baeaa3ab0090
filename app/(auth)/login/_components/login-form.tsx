"use client";

import { signIn } from "next-auth/react";
import { useState, useTransition } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { FormField } from "@/components/ui/form-field";
import { safeCallbackUrl, signInErrorMessage } from "@/lib/auth/messages";

export function LoginForm({ callbackUrl, initialError }: { callbackUrl: string; initialError?: string }) {
  const [error, setError] = useState(initialError);
  const [pending, startTransition] = useTransition();

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    startTransition(async () => {
      setError(undefined);
      const result = await signIn("credentials", {
        email: String(form.get("email") ?? ""),
        password: String(form.get("password") ?? ""),
        redirect: false,
      });
      if (!result || result.error) {
        setError(signInErrorMessage(result?.error ?? "CredentialsSignin"));
        return;
      }
      // Checked here too: the browser must never be sent to another origin after sign-in.
      window.location.assign(safeCallbackUrl(callbackUrl, window.location.origin));
    });
  }

  return (
    <Card>
      <CardContent className="p-6">
        <form onSubmit={onSubmit} className="flex flex-col gap-4" noValidate>
          <div aria-live="polite" id="login-error">
            {error ? <Alert tone="error">{error}</Alert> : null}
          </div>
          <FormField
            id="email"
            label="Email"
            name="email"
            type="email"
            autoComplete="username"
            required
            describedBy="login-error"
          />
          <FormField
            id="password"
            label="Password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            describedBy="login-error"
          />
          <Button type="submit" disabled={pending}>
            {pending ? "Signing in…" : "Sign in"}
          </Button>
        </form>
      </CardContent>
    </Card>
  );
}
