import { describe, expect, it } from "vitest";
import { safeCallbackUrl } from "./messages";

const ORIGIN = "http://localhost:3000";

describe("safeCallbackUrl", () => {
  it("keeps paths on the console, with their query and fragment", () => {
    expect(safeCallbackUrl("/insights/kms-key-rotation?severity=CRITICAL#t", ORIGIN)).toBe(
      "/insights/kms-key-rotation?severity=CRITICAL#t",
    );
    expect(safeCallbackUrl("http://localhost:3000/keys", ORIGIN)).toBe("/keys");
  });

  it.each([
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r/evil.example",
    "/\r\n/evil.example/path",
    "\t//evil.example",
    "//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "https://evil.example/",
    "http://localhost:3000@evil.example/",
    "http://localhost:3001/",
    "https:evil.example",
    "javascript:alert(1)",
    "/.//evil.example",
    "/%2e//evil.example",
    "//localhost:3000@evil.example",
  ])("sends %j to /", (hostile) => {
    expect(safeCallbackUrl(hostile, ORIGIN)).toBe("/");
  });

  it("sends what is not a string, or empty, to /", () => {
    expect(safeCallbackUrl(undefined, ORIGIN)).toBe("/");
    expect(safeCallbackUrl(["/keys"], ORIGIN)).toBe("/");
    expect(safeCallbackUrl("", ORIGIN)).toBe("/");
  });
});
