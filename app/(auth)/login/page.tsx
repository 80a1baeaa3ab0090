import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getCurrentUser } from "@/lib/auth/session";
import { safeCallbackUrl, signInErrorMessage } from "@/lib/auth/messages";
import { consoleOrigin } from "@/lib/config/env";
import { ThemeSwitch } from "@/components/shell/theme-switch";
import { LoginForm } from "./_components/login-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage(props: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await props.searchParams;
  const callbackUrl = safeCallbackUrl(params.callbackUrl, consoleOrigin());
  if (await getCurrentUser()) redirect(callbackUrl);
  const error = signInErrorMessage(typeof params.error === "string" ? params.error : undefined);
  return (
    <main className="relative flex min-h-screen items-center justify-center bg-muted px-4">
      <div className="absolute top-3 right-3">
        <ThemeSwitch />
      </div>
      <div className="w-full max-w-sm">
        <h1 className="mb-1 text-center text-2xl font-semibold">KMS Insights</h1>
        <p className="mb-6 text-center text-sm text-muted-foreground">
          Sign in to see your KMS key rotation findings.
        </p>
        <LoginForm callbackUrl={callbackUrl} initialError={error} />
      </div>
    </main>
  );
}
