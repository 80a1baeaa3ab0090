import { describe, expect, it } from "vitest";
import { ConfigError, logSettingsFromEnv, parseEnv } from "@/lib/config/env";
import { chooseLogFormat, readableMessage } from "./format";

describe("the log format", () => {
  it("is readable lines on a terminal and JSON in a file or a pipe, unless LOG_FORMAT says", () => {
    expect(chooseLogFormat("auto", true)).toBe("pretty");
    expect(chooseLogFormat("auto", false)).toBe("json");
    expect(chooseLogFormat("json", true)).toBe("json");
    expect(chooseLogFormat("pretty", false)).toBe("pretty");
  });

  it("reads LOG_FORMAT and LOG_LEVEL, defaulting to auto and info, and knows whether the level was set", () => {
    expect(logSettingsFromEnv({} as NodeJS.ProcessEnv)).toEqual({
      level: "info",
      levelGiven: false,
      format: "auto",
    });
    expect(
      logSettingsFromEnv({ LOG_FORMAT: "json", LOG_LEVEL: "info" } as unknown as NodeJS.ProcessEnv),
    ).toEqual({
      level: "info",
      levelGiven: true,
      format: "json",
    });
    // Never throws: the logger exists before the configuration is checked.
    expect(
      logSettingsFromEnv({ LOG_FORMAT: "colour", LOG_LEVEL: "loud" } as unknown as NodeJS.ProcessEnv),
    ).toEqual({
      level: "info",
      levelGiven: false,
      format: "auto",
    });
  });

  it("refuses a bad LOG_FORMAT with a message that names the choices", () => {
    expect(() => parseEnv({ LOG_FORMAT: "colour" } as unknown as NodeJS.ProcessEnv)).toThrow(ConfigError);
    expect(() => parseEnv({ LOG_FORMAT: "colour" } as unknown as NodeJS.ProcessEnv)).toThrow(
      "LOG_FORMAT: LOG_FORMAT must be auto, pretty or json",
    );
    expect(parseEnv({ LOG_FORMAT: "pretty" } as unknown as NodeJS.ProcessEnv).LOG_FORMAT).toBe("pretty");
  });

  it("writes an entry's fields as key=value after its message, an error as its message", () => {
    expect(
      readableMessage({
        level: 30,
        time: 1,
        msg: "scan target finished",
        accountId: "111122223333",
        region: "us-east-1",
        keysSeen: 12,
        error: "Access denied for kms:ListKeys",
      }),
    ).toBe(
      'scan target finished accountId=111122223333 region=us-east-1 keysSeen=12 error="Access denied for kms:ListKeys"',
    );
    expect(
      readableMessage({ msg: "background stop failed", err: { type: "Error", message: "boom", stack: "…" } }),
    ).toBe('background stop failed err="boom"');
    expect(readableMessage({ msg: "worker started" })).toBe("worker started");
  });
});
