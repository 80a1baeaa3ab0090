import { isIP } from "node:net";

/**
 * The request header that carries the client's address to the app. The web server
 * (lib/server/web.ts) deletes any copy a client sent and sets it from the connection, so that the
 * sign-in throttle and the audit log never use an address the client chose.
 */
export const CLIENT_ADDRESS_HEADER = "x-insights-client-address";

/**
 * The client's address as the audit log and the sign-in throttle record it, or null. `header`
 * reads one request header by name, whichever API the caller has (Headers, a plain object).
 */
export function clientAddressOf(header: (name: string) => unknown): string | null {
  const value = header(CLIENT_ADDRESS_HEADER);
  return typeof value === "string" && value.trim() ? value.trim() : null;
}

/**
 * The address of the client behind `trustedHops` reverse proxies. Without a trusted proxy it is
 * the connection's own address. Each trusted proxy appends the address it saw to X-Forwarded-For,
 * so the client is found that many entries from the right; what lies further left was written by
 * the client and is never used. An entry that is not an IP address stops the walk at the last
 * address that was.
 */
export function resolveClientAddress(
  socketAddress: string | undefined,
  forwardedFor: string | string[] | undefined,
  trustedHops: number,
): string | null {
  let address = normalize(socketAddress);
  if (!address) return null;
  const chain = [forwardedFor ?? []]
    .flat()
    .join(",")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  for (let hop = 1; hop <= trustedHops && hop <= chain.length; hop++) {
    const next = normalize(chain[chain.length - hop]);
    if (!next) break;
    address = next;
  }
  return address;
}

function normalize(value: string | undefined): string | null {
  if (!value) return null;
  let text = value.trim();
  // "[2001:db8::1]:443" and "203.0.113.7:443": a proxy may append the port.
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(text);
  if (bracketed) text = bracketed[1]!;
  else if (/^[\d.]+:\d+$/.test(text)) text = text.slice(0, text.lastIndexOf(":"));
  if (!isIP(text)) return null;
  // An IPv4 client of a dual-stack socket is shown as ::ffff:a.b.c.d.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(text);
  return (mapped ? mapped[1]! : text).toLowerCase();
}
