import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setAccountScope } from "@/lib/users/account-scope";
import { createUser } from "@/lib/users/service";
import { freshDatabase } from "@/test/db";
import { addAccount, removeAccount } from "./service";

let db: Awaited<ReturnType<typeof freshDatabase>>;

beforeAll(async () => {
  db = await freshDatabase();
}, 60_000);
afterAll(async () => {
  await db?.drop();
});

describe("removing an account", () => {
  it("is refused while it is a scoped viewer's only account, so the viewer never sees everything", async () => {
    const p = db.prisma;
    await addAccount(p, { id: "111111111111", name: "One", regions: ["us-east-1"] });
    await addAccount(p, { id: "222222222222", name: "Two", regions: ["us-east-1"] });
    const viewer = await createUser(p, {
      email: "scoped@example.com",
      password: "scoped-password-1",
      role: "viewer",
    });
    await setAccountScope(p, viewer.id, ["111111111111"], { actorEmail: "test" });
    await expect(removeAccount(p, "111111111111")).rejects.toThrow(/only account scoped@example.com may see/);
    expect(await p.awsAccount.count()).toBe(2);
    expect(await p.userAccountScope.count({ where: { userId: viewer.id } })).toBe(1);

    await setAccountScope(p, viewer.id, ["111111111111", "222222222222"], { actorEmail: "test" });
    await removeAccount(p, "111111111111");
    expect(
      (await p.userAccountScope.findMany({ where: { userId: viewer.id } })).map((s) => s.accountId),
    ).toEqual(["222222222222"]);
  });
});
