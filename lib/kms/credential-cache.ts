import { createHash } from "node:crypto";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";

// One credentials provider per account access, shared by the jobs of that account (its regions, and
// the scans that follow within the TTL): an account scanned in 4 regions assumes its role once
// instead of 4 times, and one STS client serves it instead of one per job. The TTL bounds how long
// a changed trust policy or profile file goes unnoticed; "test access" never uses this cache.

const TTL_MS = 15 * 60_000;
/** Temporary credentials this close to their expiration are fetched again (the SDK uses 5 min). */
const REFRESH_BEFORE_MS = 5 * 60_000;

const cache = new Map<string, { provider: AwsCredentialIdentityProvider; expires: number }>();

/** The cached provider for `identity` (every field that selects the credentials), or a new one. */
export function sharedCredentials(
  identity: unknown[],
  create: () => AwsCredentialIdentityProvider,
): AwsCredentialIdentityProvider {
  const now = Date.now();
  for (const [key, entry] of cache) if (entry.expires <= now) cache.delete(key);
  // Hashed: the identity holds the external id, which needs no second copy in memory.
  const key = createHash("sha256").update(JSON.stringify(identity)).digest("base64");
  let entry = cache.get(key);
  if (!entry) {
    entry = { provider: memoize(create()), expires: now + TTL_MS };
    cache.set(key, entry);
  }
  return entry.provider;
}

/**
 * SDK clients memoize their credentials, but a provider shared by several clients (such as
 * fromTemporaryCredentials, one AssumeRole per call) does not: callers share one pending or
 * resolved answer until it nears expiration; a failure is not kept.
 */
export function memoize(provider: AwsCredentialIdentityProvider): AwsCredentialIdentityProvider {
  let current: Promise<AwsCredentialIdentity> | undefined;
  const fresh = (creds: AwsCredentialIdentity) =>
    !creds.expiration || creds.expiration.getTime() - Date.now() > REFRESH_BEFORE_MS;
  const fetch = (props?: Parameters<AwsCredentialIdentityProvider>[0]) => {
    const attempt = provider(props);
    current = attempt;
    attempt.catch(() => {
      if (current === attempt) current = undefined;
    });
    return attempt;
  };
  return async (props) => {
    const pending = current;
    if (!pending) return fetch(props);
    const creds = await pending;
    if (fresh(creds)) return creds;
    // Another caller may have started the refresh meanwhile.
    return current === pending ? fetch(props) : current!;
  };
}
