import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "@/test/db";
import { checkThrottle, clearThrottle, noteFailure } from "./throttle";

let db: Awaited<ReturnType<typeof freshDatabase>>;
beforeAll(async () => {
  db = await freshDatabase();
}, 60_000);
afterAll(async () => {
  await db?.drop();
});

describe("sign-in throttling", () => {
  it("locks an email after 5 failures, whatever the address, and a success clears it", async () => {
    const p = db.prisma;
    for (let i = 0; i < 4; i++) await noteFailure(p, "a@example.com", `10.0.0.${i}`);
    expect(await checkThrottle(p, "a@example.com", "10.0.0.9")).toBe(true);
    await noteFailure(p, "a@example.com", "10.0.0.5");
    expect(await checkThrottle(p, "a@example.com", "10.0.0.9")).toBe(false);
    expect(await checkThrottle(p, "b@example.com", "10.0.0.9")).toBe(true);
    await clearThrottle(p, "a@example.com");
    expect(await checkThrottle(p, "a@example.com", "10.0.0.9")).toBe(true);
  });

  it("locks an address after 20 failures across emails, and counts concurrent failures", async () => {
    const p = db.prisma;
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => noteFailure(p, `user${i}@example.com`, "192.0.2.7")),
    );
    expect(await checkThrottle(p, "fresh@example.com", "192.0.2.7")).toBe(false);
    expect(await checkThrottle(p, "fresh@example.com", "192.0.2.8")).toBe(true);
  });
});
