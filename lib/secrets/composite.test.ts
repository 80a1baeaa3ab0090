import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { CompositeEncrypter } from "./composite";
import { DecryptError, recordContext, type Decrypter } from "./encrypter";
import { regionOfKey } from "./kms";
import { LocalEncrypter } from "./local";

const ctx = recordContext("aws_accounts", "111111111111", "external_id");
const fakeKms: Decrypter = { decrypt: async (c) => `kms said ${c.length}` };

describe("CompositeEncrypter", () => {
  it("encrypts with the current encrypter and sends each ciphertext to the reader of its kind", async () => {
    const local = new LocalEncrypter([randomBytes(32)]);
    const composite = new CompositeEncrypter(local, { local, kms: fakeKms });
    expect(composite.keyId).toBe(local.keyId);
    const cipher = await composite.encrypt("v", ctx);
    expect(await composite.decrypt(cipher, ctx)).toBe("v");
    expect(await composite.decrypt("kms:v1:abc", ctx)).toBe("kms said 10");
  });

  it("says what to do with a local ciphertext when no local key is configured", async () => {
    const old = await new LocalEncrypter([randomBytes(32)]).encrypt("v", ctx);
    const kmsOnly = new CompositeEncrypter(new LocalEncrypter([randomBytes(32)]), { kms: fakeKms });
    await expect(kmsOnly.decrypt(old, ctx)).rejects.toThrow(
      "the external_id of aws_accounts/111111111111 was encrypted with a local key, and none is configured: " +
        "set INSIGHTS_ENCRYPTION_KEY to that key",
    );
  });

  it("refuses text that is no ciphertext of ours", async () => {
    const local = new LocalEncrypter([randomBytes(32)]);
    const composite = new CompositeEncrypter(local, { local, kms: fakeKms });
    for (const bad of ["plain-external-id", "", "aes:v1:x"]) {
      await expect(composite.decrypt(bad, ctx)).rejects.toBeInstanceOf(DecryptError);
    }
  });
});

describe("regionOfKey", () => {
  it("reads the region of a key ARN, and none from a key id or alias", () => {
    expect(regionOfKey("arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab")).toBe(
      "eu-west-1",
    );
    expect(regionOfKey("arn:aws-us-gov:kms:us-gov-west-1:111111111111:alias/x")).toBe("us-gov-west-1");
    expect(regionOfKey("1234abcd-12ab-34cd-56ef-1234567890ab")).toBeUndefined();
    expect(regionOfKey("alias/kms-insights")).toBeUndefined();
  });
});
