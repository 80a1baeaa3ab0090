// For tests against a running KMS sandbox: SDK clients, raw wire calls, and accounts that scan it.
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { CloudTrailClient, type CloudTrailClientConfig } from "@aws-sdk/client-cloudtrail";
import { KMSClient, type KMSClientConfig } from "@aws-sdk/client-kms";
import { STSClient } from "@aws-sdk/client-sts";
import { afterAll, beforeAll } from "vitest";
import { writeDemoSandbox } from "@/lib/config/demo-sandbox";
import { sandboxClientConfig, sandboxEnvironment } from "@/lib/kms-sandbox/client-config";
import { sandboxCredentialsFor } from "@/lib/kms-sandbox/credentials";
import type { Estate } from "@/lib/kms-sandbox/estate";
import { startSandbox, type RunningSandbox } from "@/lib/kms-sandbox/server";

export function kmsClient(
  sandbox: RunningSandbox,
  accountId: string,
  region: string,
  extra: Partial<KMSClientConfig> = {},
): KMSClient {
  return new KMSClient({ ...sandboxClientConfig(sandbox.url, accountId, region), ...extra });
}

export function cloudTrailClient(
  sandbox: RunningSandbox,
  accountId: string,
  region: string,
  extra: Partial<CloudTrailClientConfig> = {},
): CloudTrailClient {
  return new CloudTrailClient({ ...sandboxClientConfig(sandbox.url, accountId, region), ...extra });
}

export function stsClient(sandbox: RunningSandbox, accountId: string, region = "us-east-1"): STSClient {
  return new STSClient(sandboxClientConfig(sandbox.url, accountId, region));
}

/** A SigV4-looking Authorization header: the sandbox reads the scope and ignores the signature. */
export function authorization(accessKeyId: string, region: string, service = "kms"): string {
  return `AWS4-HMAC-SHA256 Credential=${accessKeyId}/20261130/${region}/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=${"0".repeat(64)}`;
}

export interface RawAnswer {
  status: number;
  headers: Headers;
  text: string;
  json: () => Record<string, unknown>;
}

/** One KMS call over plain fetch, to check wire details the SDK hides. */
export async function rawKms(
  sandbox: RunningSandbox,
  operation: string,
  body: unknown,
  options: { accountId?: string; region?: string; headers?: Record<string, string>; rawBody?: string } = {},
): Promise<RawAnswer> {
  const accountId = options.accountId ?? sandbox.estate.accounts[0]!.id;
  const headers: Record<string, string> = {
    "content-type": "application/x-amz-json-1.1",
    "x-amz-target": `TrentService.${operation}`,
    authorization: authorization(
      sandboxCredentialsFor(accountId).accessKeyId,
      options.region ?? sandbox.estate.regions[0]!,
    ),
    ...options.headers,
  };
  for (const [name, value] of Object.entries(headers)) if (value === "") delete headers[name];
  const response = await fetch(`${sandbox.url}/`, {
    method: "POST",
    headers,
    body: options.rawBody ?? JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) };
}

/** An `aws_accounts` row scanned straight from the sandbox (access method SANDBOX, its endpoint). */
export function sandboxAccountRow(
  sandbox: RunningSandbox,
  account: { id: string; name: string },
  regions: string[],
) {
  return {
    id: account.id,
    name: account.name,
    regions,
    accessMethod: "SANDBOX" as const,
    endpointUrl: sandbox.url,
  };
}

/**
 * Serves SANDBOX accounts from this sandbox, as `npm start` does in demo mode: its address and the
 * accounts' test credentials written to a fresh data directory (lib/config/demo-sandbox.ts), which
 * this process and the processes it starts then use.
 */
export function serveDemoAccounts(sandbox: RunningSandbox): void {
  const dir = mkdtempSync(path.join(os.tmpdir(), "kms-insights-demo-"));
  writeDemoSandbox(dir, {
    url: sandbox.url,
    credentials: Object.fromEntries(sandbox.estate.accounts.map((a) => [a.id, sandboxCredentialsFor(a.id)])),
  });
  process.env.INSIGHTS_DATA_DIR = dir;
}

/** A sandbox serving `estate`, whose accounts this process and its children reach as the demo's. */
export async function startDemoSandbox(estate: Estate): Promise<RunningSandbox> {
  const sandbox = await startSandbox({ estate });
  serveDemoAccounts(sandbox);
  return sandbox;
}

/**
 * The sandbox of an estate with an organization, for the tests of one file: started before them,
 * the SDK's settings pointing at it as the organization's management account (the estate's first
 * account), with an encryption key for the secrets an organization stores; stopped and the
 * environment restored after them. Call it after useFreshDatabase(), so that the database outlives it.
 */
export function useOrgSandbox(estate: Estate): { readonly sandbox: RunningSandbox } {
  let running: RunningSandbox | undefined;
  const savedEnv = { ...process.env };
  beforeAll(async () => {
    running = await startSandbox({ estate });
    Object.assign(process.env, {
      ...sandboxEnvironment(running.url, estate.accounts[0]!.id, "us-east-1"),
      INSIGHTS_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64"),
    });
  }, 60_000);
  afterAll(async () => {
    await running?.stop();
    process.env = savedEnv;
  });
  return {
    get sandbox() {
      if (!running) throw new Error("useOrgSandbox(): the sandbox runs only inside hooks and tests");
      return running;
    },
  };
}
