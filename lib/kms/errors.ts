/** "AccessDeniedException: User … is not authorized" — the code and message AWS sent, on one line. */
export function describeError(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { name?: string; Code?: string }).Code ?? err.name;
    const message = err.message.replace(/\s+/g, " ").trim().slice(0, 500);
    return code && code !== "Error" && !message.startsWith(code) ? `${code}: ${message}` : message || code;
  }
  return String(err).slice(0, 500);
}

/** AWS's error code ("AccessDeniedException", "ThrottlingException"), or a network error's ("ECONNREFUSED"). */
export function errorCode(err: unknown): string | null {
  if (!(err instanceof Error)) return null;
  const e = err as { name?: string; Code?: string; code?: unknown };
  const code = e.Code ?? (e.name && e.name !== "Error" ? e.name : typeof e.code === "string" ? e.code : null);
  return code ? code.slice(0, 100) : null;
}
