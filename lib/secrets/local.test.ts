import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { DecryptError, recordContext } from "./encrypter";
import { LOCAL_PREFIX, LocalEncrypter, localKeyId } from "./local";

const A = randomBytes(32);
const B = randomBytes(32);
const ctx = recordContext("aws_accounts", "111111111111", "external_id");

describe("LocalEncrypter", () => {
  it("round-trips, with a fresh IV each time, and names its key in the ciphertext", async () => {
    const enc = new LocalEncrypter([A]);
    const one = await enc.encrypt("secret-external-id", ctx);
    const two = await enc.encrypt("secret-external-id", ctx);
    expect(one).not.toBe(two);
    expect(one.startsWith(`${LOCAL_PREFIX}:${localKeyId(A)}:`)).toBe(true);
    expect(one).not.toContain("secret-external-id");
    expect(await enc.decrypt(one, ctx)).toBe("secret-external-id");
  });

  it("refuses another record's context with a sentence that says what to do", async () => {
    const enc = new LocalEncrypter([A]);
    const cipher = await enc.encrypt("x-id", ctx);
    const other = recordContext("aws_accounts", "222222222222", "external_id");
    await expect(enc.decrypt(cipher, other)).rejects.toThrow(
      new DecryptError(
        "the external_id of aws_accounts/222222222222 does not decrypt: it was copied from another record " +
          "or altered. To fix it, enter the value again (for an account's external id: edit the account).",
      ),
    );
    await expect(enc.decrypt(cipher, { ...ctx, app: "another-service" })).rejects.toBeInstanceOf(
      DecryptError,
    );
  });

  it("decrypts values of an older key listed after the current one, and names a missing key", async () => {
    const old = await new LocalEncrypter([A]).encrypt("made-with-a", ctx);
    expect(await new LocalEncrypter([B, A]).decrypt(old, ctx)).toBe("made-with-a");
    await expect(new LocalEncrypter([B]).decrypt(old, ctx)).rejects.toThrow(
      `was encrypted with local key ${localKeyId(A)}, which is not configured: add that key to INSIGHTS_ENCRYPTION_KEY`,
    );
  });

  it("refuses a truncated ciphertext or a shortened tag", async () => {
    const enc = new LocalEncrypter([A]);
    const cipher = await enc.encrypt("y".repeat(1224), ctx);
    await expect(enc.decrypt(cipher.slice(0, -10), ctx)).rejects.toBeInstanceOf(DecryptError);
    await expect(enc.decrypt(cipher.split(":").slice(0, 5).join(":"), ctx)).rejects.toThrow(
      /is not a complete local ciphertext/,
    );
    const parts = cipher.split(":");
    parts[4] = Buffer.from(parts[4]!, "base64url").subarray(0, 4).toString("base64url");
    await expect(enc.decrypt(parts.join(":"), ctx)).rejects.toBeInstanceOf(DecryptError);
  });
});
