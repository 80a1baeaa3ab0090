import { describe, expect, it } from "vitest";
import {
  accountOfStaticKey,
  accountOfTemporaryKey,
  identifyCaller,
  sandboxCredentialsFor,
  SessionStore,
} from "./credentials";

const account = "012345678901";
const known = (id: string) => id === account;

describe("sandboxCredentialsFor", () => {
  it("gives a 20-character AKIA key id that carries the account, and a stable 40-character secret", () => {
    const creds = sandboxCredentialsFor(account);
    expect(creds.accessKeyId).toBe("AKIASBX0012345678901");
    expect(creds.accessKeyId).toHaveLength(20);
    expect(creds.secretAccessKey).toHaveLength(40);
    expect(sandboxCredentialsFor(account)).toEqual(creds);
    expect(accountOfStaticKey(creds.accessKeyId)).toBe(account);
    expect(() => sandboxCredentialsFor("12345")).toThrow(RangeError);
  });
});

describe("identifyCaller", () => {
  it("knows static users of estate accounts only", () => {
    const caller = identifyCaller(
      sandboxCredentialsFor(account).accessKeyId,
      undefined,
      known,
      new SessionStore(),
    );
    expect(caller).toMatchObject({
      kind: "user",
      accountId: account,
      arn: `arn:aws:iam::${account}:user/kms-sandbox`,
    });
    expect(
      identifyCaller(sandboxCredentialsFor("999999999999").accessKeyId, undefined, known, new SessionStore()),
    ).toBe("unknown-key");
    expect(identifyCaller("AKIAIOSFODNN7EXAMPLE", undefined, known, new SessionStore())).toBe("unknown-key");
  });

  it("knows issued sessions while their token matches and they have not expired", () => {
    const sessions = new SessionStore();
    const role = { roleName: "R", roleArn: `arn:aws:iam::${account}:role/R` };
    const issuedAt = new Date("2026-11-30T10:00:00Z");
    const session = sessions.issue(account, role, "s1", 3600, issuedAt);
    expect(session.accessKeyId).toMatch(/^ASIA[0-9A-Z]{4}012345678901$/);
    expect(accountOfTemporaryKey(session.accessKeyId)).toBe(account);
    expect(session.expiration.toISOString()).toBe("2026-11-30T11:00:00.000Z");
    const during = new Date("2026-11-30T10:30:00Z");
    expect(identifyCaller(session.accessKeyId, session.sessionToken, known, sessions, during)).toMatchObject({
      kind: "assumed-role",
      arn: `arn:aws:sts::${account}:assumed-role/R/s1`,
      userId: `AROASBX0${account}:s1`,
    });
    expect(identifyCaller(session.accessKeyId, "wrong", known, sessions, during)).toBe("bad-token");
    expect(
      identifyCaller(
        session.accessKeyId,
        session.sessionToken,
        known,
        sessions,
        new Date("2026-11-30T11:00:01Z"),
      ),
    ).toBe("expired");
    expect(identifyCaller("ASIA9999012345678901", session.sessionToken, known, sessions, during)).toBe(
      "unknown-key",
    );
  });
});
