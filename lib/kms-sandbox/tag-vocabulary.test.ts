import { describe, expect, it } from "vitest";
import { allKeys, generateEstate, keysIn } from "./estate";

const now = new Date("2026-11-30T00:00:00Z");
const estate = generateEstate({
  accounts: 3,
  regions: ["us-east-1", "eu-west-1"],
  keysPerRegion: 30,
  seed: 1,
  now,
});

describe("generated tags", () => {
  it("are realistic in number: a few dozen tag keys and hundreds of values overall", () => {
    const tags = allKeys(estate).flatMap((k) => k.tags);
    const tagKeys = new Set(tags.map((t) => t.TagKey).filter((k) => !k.startsWith("extra-")));
    expect(tagKeys.size).toBeGreaterThanOrEqual(36);
    expect(new Set(tags.map((t) => t.TagValue)).size).toBeGreaterThanOrEqual(200);
  });

  it("respect KMS limits on length and never repeat a key on one KMS key", () => {
    for (const key of allKeys(estate)) {
      expect(new Set(key.tags.map((t) => t.TagKey)).size).toBe(key.tags.length);
      for (const tag of key.tags) {
        expect(tag.TagKey.length).toBeGreaterThanOrEqual(1);
        expect(tag.TagKey.length).toBeLessThanOrEqual(128);
        expect(tag.TagValue.length).toBeLessThanOrEqual(256);
      }
    }
  });

  it("are only on customer managed keys", () => {
    for (const key of allKeys(estate).filter((k) => k.metadata.KeyManager === "AWS"))
      expect(key.tags).toEqual([]);
  });

  it("include every awkward value in every account and region", () => {
    for (const account of estate.accounts) {
      for (const region of estate.regions) {
        const values = keysIn(estate, account.id, region).flatMap((k) => k.tags.map((t) => t.TagValue));
        const label = `${account.id}/${region}`;
        expect(values, label).toContain("");
        expect(
          values.some((v) => v.length === 256),
          label,
        ).toBe(true);
        expect(
          values.some((v) => /[^\u0000-\u007f]/.test(v)),
          label,
        ).toBe(true);
        for (const first of ["=", "+", "-", "@"])
          expect(
            values.some((v) => v.startsWith(first)),
            `${label} ${first}`,
          ).toBe(true);
      }
    }
  });
});
