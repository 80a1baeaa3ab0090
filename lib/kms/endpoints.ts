import { readDemoSandbox } from "@/lib/config/demo-sandbox";
import { parseEndpointEnv, type EndpointEnv } from "@/lib/config/env";

// Where the console may send signed AWS requests. An account's endpoint URL would otherwise make
// the server sign requests (and, for role accounts, STS AssumeRole calls with the console's own
// credentials) to any host an admin types. Allowed: AWS's own domains in every partition, the demo
// sandbox, the endpoints the operator set for the SDK, and the hosts the operator lists in
// INSIGHTS_ALLOWED_ENDPOINT_HOSTS. The list lives in the environment, not in a console setting: it
// guards the host's credentials from console admins, so only whoever runs the host may extend it.

/** The service domains of the AWS partitions (aws, aws-cn, aws-us-gov, the ISO and EU clouds). */
const AWS_ENDPOINT_DOMAINS = [
  "amazonaws.com",
  "api.aws",
  "amazonaws.com.cn",
  "amazonwebservices.com.cn",
  "c2s.ic.gov",
  "sc2s.sgov.gov",
  "cloud.adc-e.uk",
  "csp.hci.ic.gov",
  "amazonaws.eu",
] as const;

const SDK_ENDPOINT_VARIABLES = [
  "AWS_ENDPOINT_URL",
  "AWS_ENDPOINT_URL_KMS",
  "AWS_ENDPOINT_URL_STS",
  "AWS_ENDPOINT_URL_CLOUDTRAIL",
  "AWS_ENDPOINT_URL_ORGANIZATIONS",
  "AWS_ENDPOINT_URL_ACCOUNT",
] as const;

class EndpointNotAllowedError extends Error {
  constructor(url: string) {
    super(
      `The endpoint ${url} is not allowed: the console sends signed AWS requests only to AWS endpoints ` +
        `(${AWS_ENDPOINT_DOMAINS.slice(0, 3).join(", ")}, …), the demo sandbox, the endpoints set in ` +
        `${SDK_ENDPOINT_VARIABLES.join(", ")}, and the hosts the operator lists in INSIGHTS_ALLOWED_ENDPOINT_HOSTS.`,
    );
  }
}

export interface Origin {
  host: string;
  port: string;
}

export function originOf(url: string): Origin | null {
  try {
    const u = new URL(url);
    if (u.protocol !== "http:" && u.protocol !== "https:") return null;
    return {
      host: u.hostname.toLowerCase().replace(/\.$/, ""),
      port: u.port || (u.protocol === "https:" ? "443" : "80"),
    };
  } catch {
    return null;
  }
}

/** "host", "host:port", "*.domain" or "*.domain:port" from INSIGHTS_ALLOWED_ENDPOINT_HOSTS. */
export function matchesListed(origin: Origin, entry: string): boolean {
  const m = /^(.*?)(?::(\d+))?$/.exec(entry)!;
  const [pattern, port] = [m[1]!, m[2]];
  if (port && port !== origin.port) return false;
  if (pattern.startsWith("*.")) return origin.host.endsWith(pattern.slice(1));
  return origin.host === pattern;
}

function sameOrigin(a: Origin, b: Origin | null): boolean {
  return !!b && a.host === b.host && a.port === b.port;
}

/** Why a URL may not be an account's endpoint, or null when it may. */
export function endpointRefusal(
  url: string,
  env: EndpointEnv & { demoSandboxUrl?: string } = {
    ...parseEndpointEnv(),
    demoSandboxUrl: readDemoSandbox()?.url,
  },
): string | null {
  const origin = originOf(url);
  if (!origin) return new EndpointNotAllowedError(url).message;
  if (AWS_ENDPOINT_DOMAINS.some((d) => origin.host === d || origin.host.endsWith(`.${d}`))) return null;
  const configured = [...SDK_ENDPOINT_VARIABLES.map((v) => env[v]), env.demoSandboxUrl];
  if (configured.some((u) => u && sameOrigin(origin, originOf(u)))) return null;
  if (env.INSIGHTS_ALLOWED_ENDPOINT_HOSTS.some((entry) => matchesListed(origin, entry))) return null;
  return new EndpointNotAllowedError(url).message;
}

/** Throws EndpointNotAllowedError unless the URL is an allowed endpoint. */
export function assertEndpointAllowed(url: string): void {
  if (endpointRefusal(url) !== null) throw new EndpointNotAllowedError(url);
}
