import { describe, expect, it } from "vitest";
import { parseSandboxArgs, runSandboxCli, SandboxUsageError } from "./cli";

describe("parseSandboxArgs", () => {
  it("reads the documented options", () => {
    const options = parseSandboxArgs([
      "--port",
      "0",
      "--accounts",
      "5",
      "--regions",
      "us-east-1,eu-west-1,ap-south-1",
      "--keys",
      "40",
      "--seed",
      "abc",
      "--latency",
      "25",
      "--throttle",
      "0.3",
    ]);
    expect(options).toMatchObject({
      port: 0,
      accounts: 5,
      regions: ["us-east-1", "eu-west-1", "ap-south-1"],
      keysPerRegion: 40,
      seed: "abc",
    });
    expect(options.faults).toEqual({ latencyMs: 25, throttleRate: 0.3 });
  });

  it("has defaults for everything", () => {
    expect(parseSandboxArgs([])).toMatchObject({
      port: 4566,
      host: "127.0.0.1",
      accounts: 3,
      keysPerRegion: 30,
      seed: "1",
      faults: {},
    });
  });

  it.each([
    [["--keys", "many"], /--keys/],
    [["--throttle", "2"], /--throttle/],
    [["--regions", "moon"], /--regions/],
    [["--port", "70000"], /--port/],
    [["--bogus"], /bogus/],
    [["positional"], /positional|Unexpected argument/],
  ])("rejects %j with a one-line message", (argv, message) => {
    expect(() => parseSandboxArgs(argv)).toThrow(SandboxUsageError);
    try {
      parseSandboxArgs(argv);
    } catch (error) {
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain("\n");
    }
  });
});

describe("runSandboxCli", () => {
  it("exits with 2 and one line on stderr for bad arguments", async () => {
    const errors: string[] = [];
    const code = await runSandboxCli(["--accounts", "0"], {
      stderr: (t) => errors.push(t),
      stdout: () => {},
    });
    expect(code).toBe(2);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^sandbox: --accounts must be an integer from 1 to 1000/);
  });

  it("starts, prints the URL, accounts and environment, and stops when aborted", async () => {
    const lines: string[] = [];
    const controller = new AbortController();
    const running = runSandboxCli(["--port", "0", "--accounts", "2", "--keys", "3"], {
      stdout: (t) => {
        lines.push(t);
        controller.abort();
      },
      signal: controller.signal,
    });
    expect(await running).toBe(0);
    const text = lines.join("\n");
    expect(text).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+/);
    expect(text).toContain("AWS_ENDPOINT_URL_KMS=http://127.0.0.1:");
    expect(text).toContain("AWS_ENDPOINT_URL_STS=");
    expect(text).toMatch(/AWS_ACCESS_KEY_ID=AKIASBX0\d{12}/);
    expect(text).toContain("ExternalId kmsi-");
  });
});

describe("the sandbox CLI's organization", () => {
  it("is off by default, on with --organization (12 OUs) or --ous N, and refuses a bad count", () => {
    expect(parseSandboxArgs([]).ous).toBeUndefined();
    expect(parseSandboxArgs(["--organization"]).ous).toBe(12);
    expect(parseSandboxArgs(["--ous", "5"]).ous).toBe(5);
    expect(() => parseSandboxArgs(["--ous", "many"])).toThrow(/--ous must be an integer from 0 to 1000/);
  });

  it("is described with its member role, suspended account and leaver, and the endpoints to use", async () => {
    const lines: string[] = [];
    const controller = new AbortController();
    const running = runSandboxCli(["--port", "0", "--accounts", "12", "--keys", "1", "--ous", "4"], {
      stdout: (t) => {
        lines.push(t);
        controller.abort();
      },
      signal: controller.signal,
    });
    expect(await running).toBe(0);
    const text = lines.join("\n");
    expect(text).toMatch(/Organization o-[a-z0-9]{10}: management account \d{12}, 4 OUs, 12 accounts/);
    expect(text).toContain("member role KmsInsightsMember  ExternalId kms-insights-org; missing in ");
    expect(text).toMatch(/suspended \d{12}/);
    expect(text).toMatch(/\d{12} leaves after the first complete ListAccounts/);
    expect(text).toContain("AWS_ENDPOINT_URL_ORGANIZATIONS=http://127.0.0.1:");
    expect(text).toContain("AWS_ENDPOINT_URL_ACCOUNT=http://127.0.0.1:");
    expect(text).toContain("aws organizations list-accounts");
  });
});
