import { describe, expect, it } from "vitest";
import { checkTokenForm, defaultTokenDay, lastTokenDay, tokenExpiry } from "./token-rules";

const NOW = new Date("2026-12-02T10:00:00Z");
const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.set(k, v);
  return data;
};

describe("a token's expiry", () => {
  it("is 90 days by default, the end of the chosen day otherwise", () => {
    expect(tokenExpiry(null, NOW)).toEqual(new Date("2027-03-02T10:00:00Z"));
    expect(tokenExpiry("2026-12-03", NOW)).toEqual(new Date("2026-12-04T00:00:00Z"));
    expect(defaultTokenDay(NOW)).toBe("2027-03-02");
  });

  it("is at most a year ahead, after today, and a real date", () => {
    expect(tokenExpiry(lastTokenDay(NOW), NOW)).toBeInstanceOf(Date);
    expect(tokenExpiry("2027-12-05", NOW)).toEqual({ error: expect.stringMatching(/at most 365 days/) });
    expect(tokenExpiry("2026-12-01", NOW)).toEqual({ error: expect.stringMatching(/after today/) });
    expect(tokenExpiry("2026-02-30", NOW)).toEqual({ error: expect.stringMatching(/not a calendar date/) });
    expect(tokenExpiry("next week", NOW)).toEqual({ error: expect.stringMatching(/YYYY-MM-DD/) });
  });
});

describe("the tokens page's form", () => {
  it("names each field that is wrong", () => {
    expect(checkTokenForm(form({ name: "SIEM", expires: "2027-01-01" }), NOW)).toEqual({});
    expect(checkTokenForm(form({ name: "  ", expires: "2030-01-01" }), NOW)).toEqual({
      name: [expect.stringMatching(/Name the token/)],
      expires: [expect.stringMatching(/at most/)],
    });
  });
});
