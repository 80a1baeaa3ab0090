import { afterEach, describe, expect, it } from "vitest";
import { silenceSdkNodeNotice } from "./env";

// The AWS SDK prints its Node version notice once per process and per copy of itself (the web
// server's bundle has several); `npm start` turns it off with the SDK's documented switch and says it once.
const SWITCH = "AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED";
const before = process.env[SWITCH];
afterEach(() => {
  if (before === undefined) delete process.env[SWITCH];
  else process.env[SWITCH] = before;
});

describe("silenceSdkNodeNotice", () => {
  it("turns the SDK's notice off for this process and its children, and gives one line instead on Node 20", () => {
    delete process.env[SWITCH];
    expect(silenceSdkNodeNotice("v20.20.2")).toMatch(
      /^Note: AWS SDK releases from January 2027 need Node 22/,
    );
    expect(process.env[SWITCH]).toBe("true");
  });

  it("says nothing on Node 22, or when the operator turned the notice off already", () => {
    delete process.env[SWITCH];
    expect(silenceSdkNodeNotice("v22.12.0")).toBeNull();
    expect(process.env[SWITCH]).toBe("true");
    expect(silenceSdkNodeNotice("v20.20.2")).toBeNull();
  });
});
