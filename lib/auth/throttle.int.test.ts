import { describe, expect, it } from "vitest";
import { useFreshDatabase } from "@/test/db";
import { clearThrottle, emailKey, isLocked, releaseAttempt, reserveAttempt } from "./throttle";

const db = useFreshDatabase();

describe("sign-in throttling", () => {
  it("allows 5 attempts per email, the 5th locks it, and clearing unlocks it", async () => {
    const p = db.prisma;
    const key = emailKey("a@example.com");
    const results = [];
    for (let i = 0; i < 7; i++) results.push(await reserveAttempt(p, key, 5));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, true, true, false, false]);
    expect(results.map((r) => r.locks)).toEqual([false, false, false, false, true, false, false]);
    expect(await isLocked(p, [key])).toBe(true);
    expect(await isLocked(p, [emailKey("b@example.com")])).toBe(false);
    await clearThrottle(p, "a@example.com");
    expect(await isLocked(p, [key])).toBe(false);
    expect((await reserveAttempt(p, key, 5)).allowed).toBe(true);
  });

  it("never allows more than the limit however many reserve at once", async () => {
    const results = await Promise.all(
      Array.from({ length: 30 }, () => reserveAttempt(db.prisma, "ip:192.0.2.7", 20)),
    );
    expect(results.filter((r) => r.allowed)).toHaveLength(20);
    expect(results.filter((r) => r.locks)).toHaveLength(1);
  });

  it("a successful sign-in gives its place on the address back and clears the email", async () => {
    const p = db.prisma;
    for (let i = 0; i < 19; i++) await reserveAttempt(p, "ip:198.51.100.1", 20);
    await reserveAttempt(p, emailKey("c@example.com"), 5);
    const last = await reserveAttempt(p, "ip:198.51.100.1", 20);
    expect(last).toEqual({ allowed: true, locks: true });
    await releaseAttempt(p, "c@example.com", "198.51.100.1");
    expect(await isLocked(p, ["ip:198.51.100.1", emailKey("c@example.com")])).toBe(false);
    expect((await reserveAttempt(p, "ip:198.51.100.1", 20)).locks).toBe(true);
  });

  it("starts a new window once the window and the lock are over", async () => {
    const p = db.prisma;
    const key = emailKey("d@example.com");
    const long = new Date(Date.now() - 40 * 60_000);
    for (let i = 0; i < 6; i++) await reserveAttempt(p, key, 5, long);
    expect(await isLocked(p, [key])).toBe(false);
    expect(await reserveAttempt(p, key, 5)).toEqual({ allowed: true, locks: false });
  });
});
