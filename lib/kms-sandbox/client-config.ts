import { sandboxCredentialsFor, type StaticCredentials } from "./credentials";

/**
 * The part of an SDK client config (KMSClient, STSClient) that points it at a sandbox as one
 * account's static user: `new KMSClient({ ...sandboxClientConfig(sandbox.url, id, "eu-west-1") })`.
 */
export function sandboxClientConfig(
  url: string,
  accountId: string,
  region: string,
): {
  endpoint: string;
  region: string;
  credentials: StaticCredentials;
} {
  return { endpoint: url, region, credentials: sandboxCredentialsFor(accountId) };
}

/** Environment variables that point the AWS CLI and SDKs at a sandbox as one account. */
export function sandboxEnvironment(url: string, accountId: string, region: string): Record<string, string> {
  const credentials = sandboxCredentialsFor(accountId);
  return {
    AWS_ENDPOINT_URL_KMS: url,
    AWS_ENDPOINT_URL_STS: url,
    AWS_ENDPOINT_URL_CLOUDTRAIL: url,
    AWS_ENDPOINT_URL_ORGANIZATIONS: url,
    AWS_ENDPOINT_URL_ACCOUNT: url,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_REGION: region,
  };
}
