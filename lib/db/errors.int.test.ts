import { describe, expect, it } from "vitest";
import { guarded } from "@/lib/actions/result";
import { useFreshDatabase } from "@/test/db";
import { parseEnv } from "@/lib/config/env";
import { prepareDatabase } from "@/lib/server/prepare";
import { connectionFailure, isUnstorableText, postgresCode } from "./errors";
import { withPgClient } from "./with-client";

// Text PostgreSQL cannot hold (a NUL character) comes only from input: the console answers it with
// a sentence, from Prisma and from pg alike, and an action reports it instead of failing.

const db = useFreshDatabase();

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error("the query did not fail");
}

describe("PostgreSQL's errors", () => {
  it("are read from Prisma's driver adapter and from pg", async () => {
    const viaPrisma = await rejection(db.prisma.organization.findUnique({ where: { id: "a\u0000b" } }));
    expect(postgresCode(viaPrisma)).toBe("22021");
    expect(isUnstorableText(viaPrisma)).toBe(true);
    const viaPg = await rejection(withPgClient(db.url, (c) => c.query("SELECT $1::text", ["a\u0000b"])));
    expect(isUnstorableText(viaPg)).toBe(true);
    const other = await rejection(withPgClient(db.url, (c) => c.query("SELECT 1/0")));
    expect(postgresCode(other)).toBe("22012");
    expect(isUnstorableText(other)).toBe(false);
    expect(postgresCode(new Error("not the database's"))).toBeUndefined();
  });

  it("an action given a NUL character answers with a sentence, and changes nothing", async () => {
    const before = await db.prisma.organization.count();
    const result = await guarded(async () => {
      await db.prisma.organization.create({
        data: { name: "a\u0000b", memberRoleName: "KmsInsightsMember", accessMethod: "DEFAULT_CHAIN" },
      });
      return { ok: true, message: "saved" };
    });
    expect(result).toEqual({ ok: false, message: expect.stringMatching(/Nothing was changed: .*NUL/) });
    expect(await db.prisma.organization.count()).toBe(before);
  });

  it("a failure to connect is a sentence naming the variable and the server, never the password", async () => {
    const refused = "postgres://someone:s3cret@127.0.0.1:1/insights";
    const env = parseEnv({ DATABASE_URL: refused } as unknown as NodeJS.ProcessEnv);
    const err = await rejection(prepareDatabase(env, { attach: false }));
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toBe(
      "Could not connect to the PostgreSQL of DATABASE_URL (127.0.0.1:1/insights as someone): nothing " +
        "accepts connections there. Check DATABASE_URL, or leave DATABASE_URL unset to use the embedded PostgreSQL.",
    );

    // The owner's server answers, the application's does not: the sentence names DATABASE_URL.
    const appRefused = new URL(db.url);
    appRefused.port = "1";
    const split = parseEnv({
      DATABASE_OWNER_URL: db.url,
      DATABASE_URL: appRefused.toString(),
    } as unknown as NodeJS.ProcessEnv);
    const appErr = await rejection(prepareDatabase(split, { attach: false }));
    expect((appErr as Error).message).toMatch(
      /^Could not connect to the PostgreSQL of DATABASE_URL \([^)]*:1\/[^)]* as [^)]*\): nothing accepts connections there, or the host name does not resolve\./,
    );

    const missing = new URL(db.url);
    missing.pathname = "/no_such_database";
    const noDb = await rejection(withPgClient(missing.toString(), (c) => c.query("SELECT 1")));
    const sentence = connectionFailure(noDb, missing.toString(), "DATABASE_OWNER_URL");
    expect(sentence).toMatch(
      /^Could not connect to the PostgreSQL of DATABASE_OWNER_URL \(.*\/no_such_database as /,
    );
    expect(sentence).toContain("the database does not exist");
    if (missing.password) expect(sentence).not.toContain(missing.password);
    // Not a failure to connect: no sentence of this kind.
    expect(connectionFailure(new Error("syntax error"), db.url, "DATABASE_URL")).toBeUndefined();
  });
});
