import { describe, expect, it } from "vitest";
import { EnvelopeCrypto } from "./envelope-crypto";

const crypto = new EnvelopeCrypto("seed-1");
const plaintext = Buffer.from("a data key of 32 bytes, roughly!");
const context = { tenant: "acme", purpose: "csv-export" };

describe("EnvelopeCrypto", () => {
  it("round-trips with the same account, key and context (context order does not matter)", () => {
    const blob = crypto.encrypt("111111111111", "key-1", plaintext, context);
    const parsed = crypto.parse(blob)!;
    expect(parsed.keyId).toBe("key-1");
    expect(crypto.decrypt("111111111111", parsed, { purpose: "csv-export", tenant: "acme" })).toEqual(
      plaintext,
    );
    expect(new EnvelopeCrypto("seed-1").decrypt("111111111111", parsed, context)).toEqual(plaintext);
  });

  it("fails when the context, the account, the seed or the bytes differ", () => {
    const blob = crypto.encrypt("111111111111", "key-1", plaintext, context);
    const parsed = crypto.parse(blob)!;
    expect(crypto.decrypt("111111111111", parsed, { ...context, tenant: "other" })).toBeUndefined();
    expect(crypto.decrypt("111111111111", parsed, {})).toBeUndefined();
    expect(crypto.decrypt("222222222222", parsed, context)).toBeUndefined();
    expect(new EnvelopeCrypto("seed-2").decrypt("111111111111", parsed, context)).toBeUndefined();
    const flipped = Buffer.from(blob);
    flipped[flipped.length - 1]! ^= 1;
    expect(crypto.decrypt("111111111111", crypto.parse(flipped)!, context)).toBeUndefined();
  });

  it("does not parse bytes that are not its ciphertext", () => {
    expect(crypto.parse(Buffer.from("hello world, not a blob"))).toBeUndefined();
    expect(crypto.parse(Buffer.alloc(0))).toBeUndefined();
  });
});
