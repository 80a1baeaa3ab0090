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

/**
 * A callback URL as a path on the console, or "/". It is resolved against `origin` as a browser
 * would (which drops tabs and line breaks, so "/\t/evil.example" is "//evil.example") and kept
 * only when it stays on that origin.
 */
export function safeCallbackUrl(value: unknown, origin: string): string {
  if (typeof value !== "string" || value === "") return "/";
  let url: URL;
  try {
    url = new URL(value, origin);
  } catch {
    return "/";
  }
  if (url.origin !== new URL(origin).origin) return "/";
  const path = url.pathname + url.search + url.hash;
  // "/.//evil.example" resolves to the path "//evil.example", which a browser reads as a host.
  return path.startsWith("//") || path.startsWith("/\\") ? "/" : path;
}
