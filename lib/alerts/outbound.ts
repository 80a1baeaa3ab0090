import { parseEndpointEnv, type EndpointEnv } from "@/lib/config/env";
import { matchesListed, originOf } from "@/lib/kms/endpoints";

// Where alerts may be sent: the hosts the operator lists in INSIGHTS_ALLOWED_ENDPOINT_HOSTS (the
// same list, syntax and matching as an account's custom endpoint, lib/kms/endpoints.ts), and for a
// Slack destination Slack's own webhook host. A console admin cannot make the server call any
// other host (an internal service, the cloud metadata address). Checked when a destination is
// saved and again before every attempt, since the list may change.

export const SLACK_WEBHOOK_HOST = "hooks.slack.com";

/** Why the console may not send to `url` (http/https) for this kind of destination, or null. */
export function outboundRefusal(
  url: string,
  kind: "WEBHOOK" | "SLACK" | "EMAIL",
  env: Pick<EndpointEnv, "INSIGHTS_ALLOWED_ENDPOINT_HOSTS"> = parseEndpointEnv(),
): string | null {
  const origin = originOf(url);
  if (!origin) return "Use an http:// or https:// URL.";
  if (kind === "SLACK" && origin.host === SLACK_WEBHOOK_HOST && url.startsWith("https:")) return null;
  if (env.INSIGHTS_ALLOWED_ENDPOINT_HOSTS.some((entry) => matchesListed(origin, entry))) return null;
  const shown = kind === "EMAIL" ? `${origin.host}:${origin.port}` : origin.host;
  return (
    `${shown} is not an allowed host: alerts go only to the hosts the operator lists in ` +
    `INSIGHTS_ALLOWED_ENDPOINT_HOSTS${kind === "SLACK" ? ` (and ${SLACK_WEBHOOK_HOST} for Slack)` : ""}.`
  );
}

/** The same for an SMTP server, given as host and port. */
export function smtpRefusal(
  host: string,
  port: number,
  env?: Pick<EndpointEnv, "INSIGHTS_ALLOWED_ENDPOINT_HOSTS">,
): string | null {
  const literal = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
  return outboundRefusal(`http://${literal}:${port}`, "EMAIL", env);
}
