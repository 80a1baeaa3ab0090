import { afterEach, describe, expect, it, vi } from "vitest";

// Each client reads the SDK's settings through the console's own loaders (clients.ts): what the
// environment says must still reach every client, however many the process builds.

const access = { id: "111122223333", accessMethod: "DEFAULT_CHAIN" as const };
const saved = { ...process.env };

afterEach(() => {
  process.env = { ...saved };
});

type Client = { config: { retryStrategy: () => Promise<unknown> } };
const retryModeOf = async (client: Client) =>
  ((await client.config.retryStrategy()) as { mode?: string }).mode;

/** clients.ts read anew: its settings providers are made once per module instance. */
async function freshClients() {
  vi.resetModules();
  return import("./clients");
}

describe("AWS clients", () => {
  it("take AWS_MAX_ATTEMPTS and AWS_RETRY_MODE as they are when each client is built", async () => {
    const { kmsClient } = await freshClients();
    delete process.env.AWS_MAX_ATTEMPTS;
    delete process.env.AWS_RETRY_MODE;
    const first = kmsClient(access, "us-east-1");
    expect(await first.config.maxAttempts()).toBe(10);
    expect(await retryModeOf(first)).toBe("adaptive");
    process.env.AWS_MAX_ATTEMPTS = "3";
    process.env.AWS_RETRY_MODE = "standard";
    const second = kmsClient(access, "eu-west-1");
    expect(await second.config.maxAttempts()).toBe(3);
    expect(await retryModeOf(second)).toBe("standard");
  });

  it("refuse a bad AWS_MAX_ATTEMPTS by name", async () => {
    const { kmsClient } = await freshClients();
    process.env.AWS_MAX_ATTEMPTS = "many";
    expect(() => kmsClient(access, "us-east-1")).toThrow(/AWS_MAX_ATTEMPTS/);
  });

  it("use FIPS and dual-stack endpoints when the environment asks for them", async () => {
    process.env.AWS_USE_FIPS_ENDPOINT = "true";
    process.env.AWS_USE_DUALSTACK_ENDPOINT = "true";
    const { kmsClient, accountClient } = await freshClients();
    for (const client of [
      kmsClient(access, "us-east-1"),
      kmsClient(access, "eu-west-1"),
      accountClient(access),
    ]) {
      expect(await client.config.useFipsEndpoint()).toBe(true);
      expect(await client.config.useDualstackEndpoint()).toBe(true);
    }
  });

  it("use neither by default", async () => {
    delete process.env.AWS_USE_FIPS_ENDPOINT;
    delete process.env.AWS_USE_DUALSTACK_ENDPOINT;
    const { kmsClient } = await freshClients();
    const client = kmsClient(access, "us-east-1");
    expect(await client.config.useFipsEndpoint()).toBe(false);
    expect(await client.config.useDualstackEndpoint()).toBe(false);
  });
});
