/**
 * The client's address as the audit log and the sign-in throttle record it: the first hop of
 * X-Forwarded-For (the client, as the proxy in front saw it), else X-Real-IP, else null. `header`
 * reads one request header by name, whichever API the caller has (Headers, a plain object).
 */
export function clientAddressOf(header: (name: string) => unknown): string | null {
  const text = (name: string) => {
    const value = header(name);
    return typeof value === "string" ? value.trim() : "";
  };
  return text("x-forwarded-for").split(",")[0]!.trim() || text("x-real-ip") || null;
}
