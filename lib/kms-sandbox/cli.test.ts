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
