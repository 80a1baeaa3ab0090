import { createHmac, timingSafeEqual } from "node:crypto";

// A webhook's signature: X-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>"> with the
// destination's secret, X-Signature-Timestamp: <unix seconds>. A receiver recomputes it over the raw
// body and refuses a timestamp older than a few minutes (a replay). docs/alerts.md shows how.

export function signBody(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

/** What a receiver does: true when the signature is the body's and the timestamp is recent. */
export function verifySignature(
  secret: string,
  headers: { signature: string | undefined; timestamp: string | undefined },
  body: string,
  opts: { now?: number; toleranceSeconds?: number } = {},
): boolean {
  const timestamp = Number(headers.timestamp);
  if (!headers.signature || !Number.isInteger(timestamp)) return false;
  const now = opts.now ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > (opts.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(signBody(secret, timestamp, body));
  const given = Buffer.from(headers.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
