import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { useFreshDatabase } from "@/test/db";
import { hashPassword, verifyPassword } from "./password";
import { signInWithPassword } from "./sign-in";

const db = useFreshDatabase();
beforeAll(async () => {
  await db.prisma.user.create({
    data: { email: "ana@example.com", passwordHash: await hashPassword("right-password-1") },
  });
}, 60_000);
beforeEach(async () => {
  await db.prisma.loginThrottle.deleteMany();
});

/** The real password check, counted. */
function countingVerify() {
  const counter = { checks: 0 };
  const verify = (hash: string, password: string) => {
    counter.checks++;
    return verifyPassword(hash, password);
  };
  return { counter, verify };
}

const rows = async () => ({
  audit: await db.prisma.auditLog.count(),
  throttle: await db.prisma.loginThrottle.count(),
});

describe("signInWithPassword", () => {
  it("checks no more than 5 of 30 wrong passwords sent at once for one email", async () => {
    const { counter, verify } = countingVerify();
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        signInWithPassword(
          db.prisma,
          { email: "ana@example.com", password: `guess-${i}` },
          `203.0.113.${i}`,
          {
            verify,
          },
        ),
      ),
    );
    expect(counter.checks).toBe(5);
    expect(results.filter((r) => !r.ok && r.throttled)).toHaveLength(25);
    // The right password is refused too while the email is locked, and not even checked.
    const late = await signInWithPassword(
      db.prisma,
      { email: "ana@example.com", password: "right-password-1" },
      "198.51.100.1",
      { verify },
    );
    expect(late).toEqual({ ok: false, throttled: true });
    expect(counter.checks).toBe(5);
  });

  it("1,000 failures from one address, to many emails and malformed, write a bounded number of rows", async () => {
    const before = await rows();
    const { counter, verify } = countingVerify();
    for (let i = 0; i < 1000; i++) {
      const raw = i % 10 === 0 ? { email: "" } : { email: `user${i}@example.com`, password: "nope" };
      await signInWithPassword(db.prisma, raw, "192.0.2.50", { verify });
    }
    const after = await rows();
    expect(counter.checks).toBeLessThanOrEqual(20);
    expect(after.audit - before.audit).toBeLessThanOrEqual(20);
    expect(after.throttle - before.throttle).toBeLessThanOrEqual(21);
  });

  it("1,000 failures for one email from 1,000 addresses write a bounded number of rows", async () => {
    const before = await rows();
    for (let i = 0; i < 1000; i++) {
      const ip = `10.${Math.floor(i / 250)}.${i % 250}.1`;
      await signInWithPassword(db.prisma, { email: "bo@example.com", password: "nope" }, ip);
    }
    const after = await rows();
    expect(after.audit - before.audit).toBe(5);
    expect(after.throttle - before.throttle).toBeLessThanOrEqual(6);
    const locked = await db.prisma.auditLog.findMany({
      where: { actorEmail: "bo@example.com", details: { path: ["locked"], equals: "email" } },
    });
    expect(locked).toHaveLength(1);
  });

  it("signs in with the right password, opens a session and audits it with the address", async () => {
    const result = await signInWithPassword(
      db.prisma,
      { email: " Ana@Example.com ", password: "right-password-1" },
      "198.51.100.7",
    );
    if (!result.ok) throw new Error("sign-in failed");
    const session = await db.prisma.signInSession.findUniqueOrThrow({ where: { id: result.user.sid } });
    expect(session.expiresAt.getTime() - session.createdAt.getTime()).toBe(12 * 60 * 60_000);
    const row = await db.prisma.auditLog.findFirstOrThrow({
      where: { action: "auth.sign_in" },
      orderBy: { id: "desc" },
    });
    expect(row).toMatchObject({ actorEmail: "ana@example.com", ip: "198.51.100.7" });
  });
});
