import { describe, expect, it } from "vitest";
import { SeededTrail } from "./cloudtrail-history";
import { generateEstate, keysIn } from "./estate";

const now = new Date("2026-11-30T00:00:00Z");
const estate = generateEstate({ accounts: 2, regions: ["us-east-1"], keysPerRegion: 60, seed: 9, now });
const account = estate.accounts[0]!.id;
const events = new SeededTrail(estate).events(account, "us-east-1");
const eventsOf = (arn: string) => events.filter((e) => e.keyArn === arn);

describe("the seeded CloudTrail history", () => {
  it("lies within the 90 days before the estate's now, each key's events in order", () => {
    expect(events.length).toBeGreaterThan(30);
    for (const e of events) {
      expect(e.at.getTime()).toBeLessThan(now.getTime());
      expect(e.at.getTime()).toBeGreaterThanOrEqual(now.getTime() - 90 * 86_400_000);
    }
    for (const key of keysIn(estate, account, "us-east-1")) {
      const times = eventsOf(key.metadata.Arn).map((e) => e.at.getTime());
      expect(times).toEqual([...times].sort((a, b) => a - b));
      if (times.length > 0) expect(times[0]).toBeGreaterThanOrEqual(key.metadata.CreationDate.getTime());
    }
  });

  it("matches each key's state: who turned rotation off, who scheduled deletion; none for AWS managed keys", () => {
    for (const key of keysIn(estate, account, "us-east-1")) {
      const names = eventsOf(key.metadata.Arn).map((e) => e.eventName);
      if (key.metadata.KeyManager === "AWS") expect(names).toEqual([]);
      if (key.scenario === "enabled-rotation-off") expect(names).toContain("DisableKeyRotation");
      if (key.rotation.enabled) expect(names).not.toContain("DisableKeyRotation");
      if (names.length > 0 && key.metadata.KeyState === "PendingDeletion")
        expect(names).toContain("ScheduleKeyDeletion");
      if (names.length > 0 && key.metadata.KeyState === "Enabled" && names.includes("DisableKey"))
        expect(names.lastIndexOf("EnableKey")).toBeGreaterThan(names.lastIndexOf("DisableKey"));
    }
    for (const e of events) {
      expect(e.principalArn).toMatch(
        new RegExp(`^arn:aws:(sts::${account}:assumed-role/[^/]+/|iam::${account}:user/)`),
      );
      expect(e.sourceIPAddress).toMatch(/^(203\.0\.113|198\.51\.100|192\.0\.2)\.\d+$/);
    }
  });

  it("is the same for the same seed and different for another", () => {
    const again = new SeededTrail(structuredClone(estate)).events(account, "us-east-1");
    expect(again.map((e) => [e.eventId, e.at.getTime()])).toEqual(
      events.map((e) => [e.eventId, e.at.getTime()]),
    );
    expect(new SeededTrail(estate).events(account, "eu-west-1")).toEqual([]);
  });
});
