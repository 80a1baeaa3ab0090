import { describe, expect, it } from "vitest";
import { clientAddressOf } from "./client-address";

const from = (headers: Record<string, unknown>) => clientAddressOf((name) => headers[name]);

describe("clientAddressOf", () => {
  it("takes the first X-Forwarded-For hop, trimmed", () => {
    expect(from({ "x-forwarded-for": " 203.0.113.7 , 10.0.0.1", "x-real-ip": "10.0.0.9" })).toBe(
      "203.0.113.7",
    );
  });
  it("falls back to X-Real-IP, then to null", () => {
    expect(from({ "x-real-ip": "198.51.100.4" })).toBe("198.51.100.4");
    expect(from({ "x-forwarded-for": " , ", "x-real-ip": " " })).toBeNull();
    expect(from({})).toBeNull();
  });
  it("ignores values that are not strings (a header given twice as an array)", () => {
    expect(from({ "x-forwarded-for": ["1.1.1.1", "2.2.2.2"], "x-real-ip": 5 })).toBeNull();
  });
  it("reads a Headers object through its getter", () => {
    const headers = new Headers({ "X-Forwarded-For": "192.0.2.1" });
    expect(clientAddressOf((name) => headers.get(name))).toBe("192.0.2.1");
  });
});
