// Sentences for next-auth's error codes: a person sees why sign-in failed, never a stack trace.
const MESSAGES: Record<string, string> = {
  CredentialsSignin: "The email or password is incorrect, or the account is disabled.",
  TooManyAttempts: "Too many failed sign-ins. Wait 15 minutes and try again.",
  SessionRequired: "Sign in to continue.",
  SessionExpired: "Your session has ended. Sign in again.",
};

export function signInErrorMessage(code: string | undefined | null): string | undefined {
  if (!code) return undefined;
  return MESSAGES[code] ?? "Sign-in failed. Try again.";
}

/** Only same-site relative paths: never an open redirect to another host. */
export function safeCallbackUrl(value: unknown): string {
  if (typeof value !== "string" || !value.startsWith("/") || value.startsWith("//") || value.includes("\\")) {
    return "/";
  }
  return value;
}
