import { describe, expect, it } from "vitest";
import { CLIENT_ADDRESS_HEADER, clientAddressOf, resolveClientAddress } from "./client-address";

const from = (headers: Record<string, unknown>) => clientAddressOf((name) => headers[name]);

describe("clientAddressOf", () => {
  it("reads only the header the web server sets, never X-Forwarded-For or X-Real-IP", () => {
    expect(from({ "x-forwarded-for": "203.0.113.7", "x-real-ip": "198.51.100.4" })).toBeNull();
    expect(from({ [CLIENT_ADDRESS_HEADER]: " 192.0.2.1 ", "x-forwarded-for": "203.0.113.7" })).toBe(
      "192.0.2.1",
    );
  });
  it("ignores values that are not strings, and reads a Headers object through its getter", () => {
    expect(from({ [CLIENT_ADDRESS_HEADER]: ["1.1.1.1", "2.2.2.2"] })).toBeNull();
    const headers = new Headers({ [CLIENT_ADDRESS_HEADER]: "192.0.2.1" });
    expect(clientAddressOf((name) => headers.get(name))).toBe("192.0.2.1");
  });
});

describe("resolveClientAddress", () => {
  it("uses the connection's address when no proxy is trusted, whatever X-Forwarded-For says", () => {
    expect(resolveClientAddress("198.51.100.9", "203.0.113.7", 0)).toBe("198.51.100.9");
    expect(resolveClientAddress("::ffff:127.0.0.1", undefined, 0)).toBe("127.0.0.1");
  });
  it("takes the address the nearest trusted proxy saw, from the right of the chain", () => {
    // The client wrote "1.2.3.4"; the proxy appended the address it saw.
    expect(resolveClientAddress("10.0.0.2", "1.2.3.4, 203.0.113.7", 1)).toBe("203.0.113.7");
    expect(resolveClientAddress("10.0.0.2", ["1.2.3.4", "203.0.113.7, 10.0.0.1"], 2)).toBe("203.0.113.7");
  });
  it("never goes further left than the chain, nor past an entry that is not an address", () => {
    expect(resolveClientAddress("10.0.0.2", "203.0.113.7", 3)).toBe("203.0.113.7");
    expect(resolveClientAddress("10.0.0.2", undefined, 1)).toBe("10.0.0.2");
    expect(resolveClientAddress("10.0.0.2", "203.0.113.7, evil", 2)).toBe("10.0.0.2");
  });
  it("drops ports and brackets a proxy may add", () => {
    expect(resolveClientAddress("10.0.0.2", "203.0.113.7:5555", 1)).toBe("203.0.113.7");
    expect(resolveClientAddress("10.0.0.2", "[2001:DB8::1]:443", 1)).toBe("2001:db8::1");
    expect(resolveClientAddress(undefined, "203.0.113.7", 1)).toBeNull();
  });
});
