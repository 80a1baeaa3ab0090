import { describe, expect, it } from "vitest";
import { parseEndpointEnv } from "@/lib/config/env";
import { endpointRefusal } from "./endpoints";

const env = ({ demoSandboxUrl, ...vars }: Record<string, string> = {}) => ({
  ...parseEndpointEnv(vars),
  demoSandboxUrl,
});
const allowed = (url: string, vars?: Record<string, string>) => endpointRefusal(url, env(vars)) === null;

describe("endpointRefusal", () => {
  it("allows AWS's domains in every partition, and nothing that only looks like them", () => {
    for (const url of [
      "https://kms.us-east-1.amazonaws.com",
      "https://sts.amazonaws.com",
      "https://kms-fips.us-gov-west-1.amazonaws.com",
      "https://kms.cn-north-1.amazonaws.com.cn",
      "https://kms.eu-west-1.api.aws",
      "https://kms.us-iso-east-1.c2s.ic.gov",
      "https://kms.us-east-1.amazonaws.com.",
    ])
      expect(allowed(url), url).toBe(true);
    for (const url of [
      "https://kms.us-east-1.amazonaws.com.evil.example",
      "https://evilamazonaws.com",
      "https://amazonaws.com@evil.example",
      "http://127.0.0.1:8080",
      "http://169.254.169.254/latest",
      "ftp://kms.us-east-1.amazonaws.com",
      "not a url",
    ])
      expect(allowed(url), url).toBe(false);
  });

  it("allows the SDK's configured endpoints and the demo sandbox on their own port only", () => {
    const vars = {
      AWS_ENDPOINT_URL_KMS: "http://localhost:4566",
      demoSandboxUrl: "http://127.0.0.1:5001",
    };
    expect(allowed("http://localhost:4566/", vars)).toBe(true);
    expect(allowed("http://LOCALHOST:4566", vars)).toBe(true);
    expect(allowed("http://localhost:4567", vars)).toBe(false);
    expect(allowed("http://127.0.0.1:5001", vars)).toBe(true);
    expect(allowed("http://127.0.0.1:5002", vars)).toBe(false);
    expect(allowed("https://vault.example", { AWS_ENDPOINT_URL: "https://vault.example" })).toBe(true);
    expect(allowed("https://vault.example", { AWS_ENDPOINT_URL_STS: "https://vault.example:443" })).toBe(
      true,
    );
  });

  it("allows the hosts the operator lists: host, host:port, *.domain", () => {
    const vars = { INSIGHTS_ALLOWED_ENDPOINT_HOSTS: "kms.internal.example, localhost:4566,*.corp.example" };
    expect(allowed("https://kms.internal.example", vars)).toBe(true);
    expect(allowed("http://kms.internal.example:8080", vars)).toBe(true);
    expect(allowed("http://localhost:4566", vars)).toBe(true);
    expect(allowed("http://localhost:4567", vars)).toBe(false);
    expect(allowed("https://kms.eu.corp.example", vars)).toBe(true);
    expect(allowed("https://corp.example.evil", vars)).toBe(false);
    expect(allowed("https://internal.example", vars)).toBe(false);
  });

  it("names the way to allow a host in its message", () => {
    expect(endpointRefusal("https://evil.example", env())).toMatch(
      /^The endpoint https:\/\/evil.example is not allowed: .*INSIGHTS_ALLOWED_ENDPOINT_HOSTS\.$/,
    );
  });

  it("rejects a malformed list at configuration time", () => {
    expect(() => env({ INSIGHTS_ALLOWED_ENDPOINT_HOSTS: "https://x.example/path" })).toThrow(
      /INSIGHTS_ALLOWED_ENDPOINT_HOSTS/,
    );
  });
});
