import { beforeAll, describe, expect, it } from "vitest";
import { useFreshDatabase } from "@/test/db";
import { findActiveSession, openSession, revokeSession, SESSION_LIFETIME_MS } from "./sessions";

const db = useFreshDatabase();
let userId: string;
beforeAll(async () => {
  userId = (await db.prisma.user.create({ data: { email: "s@example.com", passwordHash: "x" } })).id;
}, 60_000);

describe("server-side sessions", () => {
  it("a session is active until it is revoked", async () => {
    const sid = await openSession(db.prisma, userId);
    expect((await findActiveSession(db.prisma, sid))?.user.email).toBe("s@example.com");
    expect(await revokeSession(db.prisma, sid)).toMatchObject({ userId });
    expect(await findActiveSession(db.prisma, sid)).toBeNull();
    expect(await revokeSession(db.prisma, sid)).toBeNull();
  });

  it("ends at its absolute lifetime, however recently it was used", async () => {
    const opened = new Date("2026-12-02T08:00:00Z");
    const sid = await openSession(db.prisma, userId, opened);
    const justBefore = new Date(opened.getTime() + SESSION_LIFETIME_MS - 1000);
    expect(await findActiveSession(db.prisma, sid, justBefore)).not.toBeNull();
    expect(
      await findActiveSession(db.prisma, sid, new Date(opened.getTime() + SESSION_LIFETIME_MS)),
    ).toBeNull();
  });

  it("an unknown id is no session", async () => {
    expect(await findActiveSession(db.prisma, "made-up")).toBeNull();
  });
});
