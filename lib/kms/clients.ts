import http from "node:http";
import https from "node:https";
import { KMSClient } from "@aws-sdk/client-kms";
import { STSClient } from "@aws-sdk/client-sts";
import { fromIni, fromNodeProviderChain, fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import type { AwsCredentialIdentityProvider } from "@smithy/types";
import { sandboxCredentialsFor } from "@/lib/kms-sandbox/credentials";

// How the console reaches one AWS account. Endpoints come from the SDK's own settings
// (AWS_ENDPOINT_URL_KMS, AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL) unless the account names one,
// so the same code talks to AWS, to the sandbox, or to any KMS-compatible endpoint.
export interface AccountAccess {
  id: string;
  accessMethod: "DEFAULT_CHAIN" | "PROFILE" | "ROLE" | "SANDBOX";
  profile?: string | null;
  roleArn?: string | null;
  externalId?: string | null;
  endpointUrl?: string | null;
}

export const ROLE_SESSION_NAME = "kms-insights";

/** Where SANDBOX accounts are served: set by `npm start` when it runs the demo sandbox. */
function sandboxEndpoint(access: AccountAccess): string {
  const url = access.endpointUrl ?? process.env.INSIGHTS_SANDBOX_URL;
  if (!url)
    throw new Error(
      "This demo account needs the KMS sandbox, which is not running (INSIGHTS_SANDBOX_URL is unset).",
    );
  return url;
}

function endpointFor(access: AccountAccess): string | undefined {
  return access.accessMethod === "SANDBOX" ? sandboxEndpoint(access) : (access.endpointUrl ?? undefined);
}

export function credentialsFor(access: AccountAccess, region: string): AwsCredentialIdentityProvider {
  switch (access.accessMethod) {
    case "SANDBOX": {
      const creds = sandboxCredentialsFor(access.id);
      return async () => creds;
    }
    case "PROFILE":
      return fromIni({ profile: access.profile ?? undefined });
    case "ROLE": {
      if (!access.roleArn) throw new Error(`Account ${access.id} uses a role but has no role ARN.`);
      const endpoint = endpointFor(access);
      return fromTemporaryCredentials({
        params: {
          RoleArn: access.roleArn,
          RoleSessionName: ROLE_SESSION_NAME,
          ...(access.externalId ? { ExternalId: access.externalId } : {}),
        },
        clientConfig: { region, ...(endpoint ? { endpoint } : {}) },
      });
    }
    default:
      return fromNodeProviderChain();
  }
}

function maxAttempts(): number {
  const n = Number(process.env.AWS_MAX_ATTEMPTS);
  return Number.isInteger(n) && n > 0 ? n : 10;
}

function clientConfig(access: AccountAccess, region: string, maxSockets: number) {
  const endpoint = endpointFor(access);
  return {
    region,
    credentials: credentialsFor(access, region),
    ...(endpoint ? { endpoint } : {}),
    // Adaptive retries absorb throttling (client-side rate limiting plus backoff) instead of
    // failing the scan; AWS_RETRY_MODE / AWS_MAX_ATTEMPTS still override.
    retryMode: process.env.AWS_RETRY_MODE ?? "adaptive",
    maxAttempts: maxAttempts(),
    requestHandler: {
      connectionTimeout: 5_000,
      requestTimeout: 30_000,
      httpAgent: new http.Agent({ keepAlive: true, maxSockets }),
      httpsAgent: new https.Agent({ keepAlive: true, maxSockets }),
    },
  };
}

export function kmsClient(access: AccountAccess, region: string, maxSockets = 16): KMSClient {
  return new KMSClient(clientConfig(access, region, maxSockets));
}

export function stsClient(access: AccountAccess, region: string): STSClient {
  return new STSClient(clientConfig(access, region, 4));
}
