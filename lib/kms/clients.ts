import http from "node:http";
import https from "node:https";
import { AccountClient } from "@aws-sdk/client-account";
import { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import { KMSClient } from "@aws-sdk/client-kms";
import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { STSClient } from "@aws-sdk/client-sts";
import { NODE_APP_ID_CONFIG_OPTIONS } from "@aws-sdk/core/client";
import { NODE_AUTH_SCHEME_PREFERENCE_OPTIONS } from "@aws-sdk/core/httpAuthSchemes";
import { fromIni, fromNodeProviderChain, fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import {
  loadConfig,
  NODE_USE_DUALSTACK_ENDPOINT_CONFIG_OPTIONS,
  NODE_USE_FIPS_ENDPOINT_CONFIG_OPTIONS,
} from "@smithy/core/config";
import type { AwsCredentialIdentityProvider } from "@smithy/types";
import { OPT_IN_REGIONS } from "@/lib/aws/regions";
import { awsRetrySettings } from "@/lib/config/env";
import { readDemoSandbox } from "@/lib/config/demo-sandbox";
import { sharedCredentials } from "./credential-cache";
import { assertEndpointAllowed } from "./endpoints";

// How the console reaches one AWS account. Endpoints come from the SDK's own settings
// (AWS_ENDPOINT_URL_KMS, AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL_CLOUDTRAIL, AWS_ENDPOINT_URL) unless the account names one,
// so the same code talks to AWS, to the sandbox, or to a KMS-compatible endpoint the operator allowed
// (endpoints.ts): every client is built here, so no signed request leaves for another host.
export interface AccountAccess {
  id: string;
  accessMethod: "DEFAULT_CHAIN" | "PROFILE" | "ROLE" | "SANDBOX";
  profile?: string | null;
  roleArn?: string | null;
  externalId?: string | null;
  endpointUrl?: string | null;
}

export const ROLE_SESSION_NAME = "kms-insights";

/** A demo (SANDBOX) account's endpoint and test credentials: those of the sandbox `npm start` runs. */
function demoAccess(access: AccountAccess): { url: string; accessKeyId: string; secretAccessKey: string } {
  const demo = readDemoSandbox();
  const credentials = demo?.credentials[access.id];
  const url = access.endpointUrl ?? demo?.url;
  if (!url || !credentials)
    throw new Error(
      `Demo account ${access.id} is served by the KMS sandbox that \`npm start\` runs in demo mode, ` +
        "and none is running for this data directory (INSIGHTS_DATA_DIR). Start the console, or remove the demo accounts.",
    );
  return { url, ...credentials };
}

/**
 * The account's endpoint, refused unless allowed. Sandbox accounts are exempt: they sign with the
 * sandbox's published test keys, never the console's, and no admin can create one (the account form
 * and the CLI offer no such access method).
 */
function endpointFor(access: AccountAccess): string | undefined {
  if (access.accessMethod === "SANDBOX") return demoAccess(access).url;
  if (access.endpointUrl) assertEndpointAllowed(access.endpointUrl);
  return access.endpointUrl ?? undefined;
}

export function credentialsFor(access: AccountAccess, region: string): AwsCredentialIdentityProvider {
  switch (access.accessMethod) {
    case "SANDBOX": {
      const { accessKeyId, secretAccessKey } = demoAccess(access);
      return async () => ({ accessKeyId, secretAccessKey });
    }
    case "PROFILE":
      return fromIni({ profile: access.profile ?? undefined });
    case "ROLE": {
      if (!access.roleArn) throw new Error(`Account ${access.id} uses a role but has no role ARN.`);
      const endpoint = endpointFor(access);
      // AssumeRole from an opt-in region would need it enabled in the console's own account too:
      // the role is assumed in us-east-1 then (the credentials serve every region alike).
      const stsRegion = OPT_IN_REGIONS.has(region) ? "us-east-1" : region;
      return fromTemporaryCredentials({
        params: {
          RoleArn: access.roleArn,
          RoleSessionName: ROLE_SESSION_NAME,
          ...(access.externalId ? { ExternalId: access.externalId } : {}),
        },
        // The process's STS pool: by default it would borrow the first caller's connections,
        // which a job destroys when it ends, while the provider outlives it (credential-cache.ts);
        // a pool of its own per account opened a connection (a TLS handshake on AWS) per account.
        clientConfig: {
          ...processSettings,
          region: stsRegion,
          ...(endpoint ? { endpoint } : {}),
          requestHandler: stsConnections,
        },
      });
    }
    default:
      return fromNodeProviderChain();
  }
}

/**
 * The settings a client would otherwise look up on its own, from the environment and then the
 * shared config file (AWS_USE_FIPS_ENDPOINT or use_fips_endpoint, and so on), are looked up once
 * per process with the SDK's own loaders. Each client resolved each of them on its first call,
 * every miss raising an error with a stack trace on the way to the default: with a client per
 * account-region and per account, that was about a tenth of a sync's CPU (docs/benchmarks.md).
 */
const processSettings = {
  useFipsEndpoint: loadConfig(NODE_USE_FIPS_ENDPOINT_CONFIG_OPTIONS),
  useDualstackEndpoint: loadConfig(NODE_USE_DUALSTACK_ENDPOINT_CONFIG_OPTIONS),
  userAgentAppId: loadConfig(NODE_APP_ID_CONFIG_OPTIONS),
  authSchemePreference: loadConfig(NODE_AUTH_SCHEME_PREFERENCE_OPTIONS),
};

function clientConfig(
  region: string,
  endpoint: string | undefined,
  requestHandler: ReturnType<typeof ownConnections>,
  credentials: AwsCredentialIdentityProvider,
) {
  const retry = awsRetrySettings();
  return {
    ...processSettings,
    region,
    credentials,
    ...(endpoint ? { endpoint } : {}),
    // Adaptive retries absorb throttling (client-side rate limiting plus backoff) instead of
    // failing the scan; AWS_RETRY_MODE / AWS_MAX_ATTEMPTS still override.
    retryMode: retry.AWS_RETRY_MODE,
    maxAttempts: retry.AWS_MAX_ATTEMPTS,
    // Resolve each command's middleware stack once per client, not on every call (the stack is
    // never changed after construction): a large share of the SDK's CPU per call (docs/benchmarks.md).
    cacheMiddleware: true,
    requestHandler,
  };
}

const TIMEOUTS = { connectionTimeout: 5_000, requestTimeout: 30_000 };

function ownConnections(maxSockets: number) {
  return connections(maxSockets, http.Agent, https.Agent);
}

function connections(maxSockets: number, Http: typeof http.Agent, Https: typeof https.Agent) {
  return {
    ...TIMEOUTS,
    httpAgent: new Http({ keepAlive: true, maxSockets }),
    httpsAgent: new Https({ keepAlive: true, maxSockets }),
  };
}

// Agents that a client's destroy() leaves alone: NodeHttpHandler.destroy() destroys the agents
// it was given, but these are shared by every client of a kind in the process.
class SharedHttpAgent extends http.Agent {
  override destroy(): void {}
}
class SharedHttpsAgent extends https.Agent {
  override destroy(): void {}
}

function sharedConnections(maxSockets: number) {
  return connections(maxSockets, SharedHttpAgent, SharedHttpsAgent);
}

/**
 * One keep-alive pool for every KMS client of the process: a job borrows warm connections to its
 * region's endpoint (any account: each request is signed on its own) instead of opening its own
 * and closing them at its end, a TCP and TLS handshake per socket per account-region. The limiters
 * cap the calls in flight; the pool's cap (the largest total concurrency a setting allows) is a
 * backstop. Idle sockets do not keep the process alive (the agent unrefs them).
 */
const kmsConnections = sharedConnections(512);

/** The same for the AssumeRole calls of every account (one per account and credentials TTL). */
const stsConnections = sharedConnections(64);

/** The same for the ListRegions calls of an organization's sync (a client per account). */
const accountConnections = sharedConnections(32);

/**
 * A KMS client for one account-region: its credentials are shared with the account's other regions
 * (credential-cache.ts) and its connections with every KMS client of the process; destroy() on it
 * releases neither.
 */
export function kmsClient(access: AccountAccess, region: string): KMSClient {
  const endpoint = endpointFor(access);
  const credentials = scanningCredentials(access, region, endpoint);
  const kms = new KMSClient(clientConfig(region, endpoint, kmsConnections, credentials));
  reuseSigner(kms);
  return kms;
}

/** The account's scanning credentials, shared by its KMS and CloudTrail clients (credential-cache.ts). */
function scanningCredentials(access: AccountAccess, region: string, endpoint: string | undefined) {
  const identity = [
    access.id,
    access.accessMethod,
    access.profile,
    access.roleArn,
    access.externalId,
    endpoint,
  ];
  return sharedCredentials(identity, () => credentialsFor(access, region));
}

/**
 * A CloudTrail client for one account-region with the scanning identity (the read-only role needs
 * cloudtrail:LookupEvents): the key page's "Who changed it". Its own connections; destroy() it after use.
 */
export function cloudTrailClient(access: AccountAccess, region: string): CloudTrailClient {
  const endpoint = endpointFor(access);
  return new CloudTrailClient(
    clientConfig(region, endpoint, ownConnections(2), scanningCredentials(access, region, endpoint)),
  );
}

/**
 * The SDK builds a new SigV4 signer for every request, copying the whole client config into it. The
 * signer only depends on the auth scheme, so one per scheme serves every request of the client; it
 * still asks the credentials provider on each signature, so refreshed credentials are used.
 */
function reuseSigner(kms: KMSClient): void {
  const create = kms.config.signer;
  const signers = new Map<string, ReturnType<typeof create>>();
  kms.config.signer = (authScheme) => {
    const key = authScheme ? `${authScheme.name}/${authScheme.signingName}/${authScheme.signingRegion}` : "";
    let signer = signers.get(key);
    if (!signer) {
      signer = create(authScheme);
      signer.catch(() => signers.delete(key));
      signers.set(key, signer);
    }
    return signer;
  };
}

export function stsClient(access: AccountAccess, region: string): STSClient {
  return new STSClient(
    clientConfig(region, endpointFor(access), ownConnections(4), credentialsFor(access, region)),
  );
}

/** Organizations and the Account API are global services, served from us-east-1 (the commercial partition). */
const GLOBAL_REGION = "us-east-1";

/**
 * An Organizations client with an organization's access (its management account or delegated
 * administrator): listing accounts, their parents and OUs. Its own connections; destroy() it after use.
 */
export function organizationsClient(access: AccountAccess): OrganizationsClient {
  const endpoint = endpointFor(access);
  return new OrganizationsClient(
    clientConfig(GLOBAL_REGION, endpoint, ownConnections(16), credentialsFor(access, GLOBAL_REGION)),
  );
}

/**
 * An Account API client with the account's scanning identity (account:ListRegions): which regions
 * are enabled. Its credentials are its own, not the scan's shared cache: a sync of thousands of
 * accounts would otherwise hold a provider per account for the cache's lifetime (memory grows with
 * the organization); the scan assumes the role again. Its connections are the process's Account API
 * pool, which destroy() leaves open: a sync reuses them from account to account.
 */
export function accountClient(access: AccountAccess): AccountClient {
  const endpoint = endpointFor(access);
  return new AccountClient(
    clientConfig(GLOBAL_REGION, endpoint, accountConnections, credentialsFor(access, GLOBAL_REGION)),
  );
}
