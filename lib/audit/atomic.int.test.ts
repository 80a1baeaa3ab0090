import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { PassThrough } from "node:stream";
import type PgBoss from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addAccount, removeAccount, setAccountEnabled, updateAccount } from "@/lib/accounts/service";
import { guarded } from "@/lib/actions/result";
import { accountsCommand } from "@/lib/cli/accounts";
import type { CliIO } from "@/lib/cli/io";
import { usersCommand } from "@/lib/cli/users";
import { startBoss, startScan } from "@/lib/collector/queue";
import { createEncrypter } from "@/lib/secrets";
import { recordContext } from "@/lib/secrets/encrypter";
import { rotateSecrets } from "@/lib/secrets/rotate";
import { getSettings, saveSettings } from "@/lib/settings";
import { setAccountScope } from "@/lib/users/account-scope";
import { changeRole, resetPassword, setDisabled } from "@/lib/users/manage";
import { createUser } from "@/lib/users/service";
import { useFreshDatabase } from "@/test/db";
import type { Actor } from "./log";

// Each change of the console and its audit entry commit together: with the audit insert refused
// (a trigger of this test's database), the change is not stored and the caller is told so; and a
// change that did commit is never reported as "nothing was changed".

const db = useFreshDatabase();
let boss: PgBoss;
const refused: Actor = { actorId: null, actorEmail: "audit-fails@example.com", ip: "203.0.113.7" };
const admin: Actor = { actorEmail: "admin@example.com" };
const A = "111111111111";

beforeAll(async () => {
  await db.prisma.$executeRawUnsafe(`
    CREATE FUNCTION test_refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.actor_email = 'audit-fails@example.com' OR NEW.target LIKE 'refused%'
         OR NEW.details::text LIKE '%Refused%' THEN
        RAISE EXCEPTION 'audit insert refused (test)';
      END IF;
      RETURN NEW;
    END $$`);
  await db.prisma.$executeRawUnsafe(
    `CREATE TRIGGER test_refuse_audit BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION test_refuse_audit()`,
  );
  await addAccount(db.prisma, { id: A, name: "One", regions: ["us-east-1"] }, admin);
  boss = await startBoss(db.url, { supervise: false });
});
afterAll(async () => {
  await boss?.stop({ graceful: false, wait: true });
});

const account = (id = A) => db.prisma.awsAccount.findUnique({ where: { id } });
const auditCount = () => db.prisma.auditLog.count();

async function refusedChange<T>(change: () => Promise<T>): Promise<void> {
  const before = await auditCount();
  await expect(change()).rejects.toThrow(/audit insert refused/);
  expect(await auditCount()).toBe(before);
}

describe("a change whose audit entry cannot be written", () => {
  it("is not stored, for every account change", async () => {
    await refusedChange(() =>
      addAccount(db.prisma, { id: "222222222222", name: "Two", regions: ["us-east-1"] }, refused),
    );
    expect(await account("222222222222")).toBeNull();
    await refusedChange(() =>
      updateAccount(db.prisma, { id: A, name: "Renamed", regions: ["eu-west-1"] }, refused),
    );
    await refusedChange(() => setAccountEnabled(db.prisma, A, false, refused));
    expect(await account()).toMatchObject({ name: "One", regions: ["us-east-1"], enabled: true });
    await refusedChange(() => removeAccount(db.prisma, A, refused));
    expect(await account()).not.toBeNull();
  });

  it("is not stored, for a scan, the settings and every user change", async () => {
    await refusedChange(() => startScan(db.prisma, boss, { trigger: "MANUAL", actor: refused }));
    expect(await db.prisma.scan.count()).toBe(0);
    expect(await boss.getQueueSize("scan-target")).toBe(0);

    const settings = await getSettings(db.prisma);
    await refusedChange(() =>
      saveSettings(db.prisma, { "policy.maxRotationDays": 90, "scan.intervalHours": 1 }, refused),
    );
    expect(await getSettings(db.prisma)).toEqual(settings);

    await refusedChange(() =>
      createUser(
        db.prisma,
        { email: "new@example.com", password: "a long password 1", role: "viewer" },
        refused,
      ),
    );
    expect(await db.prisma.user.findUnique({ where: { email: "new@example.com" } })).toBeNull();
    const boss1 = await createUser(
      db.prisma,
      { email: "boss1@example.com", password: "a long password 1", role: "admin" },
      admin,
    );
    const vera = await createUser(
      db.prisma,
      { email: "vera@example.com", password: "a long password 1", role: "viewer" },
      admin,
    );
    const stored = () =>
      db.prisma.user.findUniqueOrThrow({ where: { id: vera.id }, include: { accountScopes: true } });
    const before = await stored();
    await refusedChange(() => changeRole(db.prisma, vera.id, "admin", refused));
    await refusedChange(() => setDisabled(db.prisma, vera.id, true, refused));
    await refusedChange(() => resetPassword(db.prisma, vera.id, "another long password", refused));
    await refusedChange(() => setAccountScope(db.prisma, vera.id, [A], refused));
    expect(await stored()).toEqual(before);
    expect(boss1.role).toBe("admin");
  });

  it("is not stored by a secrets rotation, value by value", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "kms-insights-atomic-"));
    try {
      const [oldKey, newKey] = [randomBytes(32).toString("base64"), randomBytes(32).toString("base64")];
      const old = await createEncrypter({ encryptionKeys: oldKey, dataDir: dir });
      const cipher = await old.encrypt("the external id", recordContext("aws_accounts", A, "external_id"));
      await db.prisma.awsAccount.update({ where: { id: A }, data: { externalIdCipher: cipher } });
      const fresh = await createEncrypter({ encryptionKeys: `${newKey},${oldKey}`, dataDir: dir });
      const report = await rotateSecrets(db.prisma, fresh, refused);
      expect(report).toMatchObject({ rotated: 0, failed: [{ record: `aws_accounts/${A}` }] });
      expect((await account())?.externalIdCipher).toBe(cipher);
    } finally {
      await db.prisma.awsAccount.update({ where: { id: A }, data: { externalIdCipher: null } });
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("gives the console a failure message that is true: nothing was changed", async () => {
    const result = await guarded(async () => {
      await setAccountEnabled(db.prisma, A, false, refused);
      return { ok: true, message: "Account disabled." };
    });
    expect(result).toEqual({
      ok: false,
      message: "The change could not be saved. Nothing was changed; try again.",
    });
    expect((await account())?.enabled).toBe(true);
  });

  it("makes the command line fail, and stores nothing", async () => {
    const lines: string[] = [];
    const io: CliIO = {
      out: (l) => lines.push(l),
      err: (l) => lines.push(l),
      stdin: new PassThrough(),
      stdout: new PassThrough(),
    };
    await expect(
      accountsCommand(
        ["add", "--id", "333333333333", "--name", "Refused", "--regions", "us-east-1"],
        db.prisma,
        io,
      ),
    ).rejects.toThrow(/audit insert refused/);
    expect(await account("333333333333")).toBeNull();
    const stdin = new PassThrough();
    stdin.end("a long password 123\n");
    await expect(
      usersCommand(["add", "--email", "refused@example.com", "--role", "viewer"], db.prisma, {
        ...io,
        stdin,
      }),
    ).rejects.toThrow(/audit insert refused/);
    expect(await db.prisma.user.findUnique({ where: { email: "refused@example.com" } })).toBeNull();
    expect(lines).toEqual([]);
  });
});

describe("a change that committed", () => {
  it("is stored with its audit entry and reported as done", async () => {
    const result = await guarded(async () => {
      await setAccountEnabled(db.prisma, A, false, admin);
      return { ok: true, message: `Account ${A} disabled.` };
    });
    expect(result).toEqual({ ok: true, message: `Account ${A} disabled.` });
    expect((await account())?.enabled).toBe(false);
    expect(await db.prisma.auditLog.findFirst({ orderBy: { id: "desc" } })).toMatchObject({
      action: "account.disable",
      target: A,
      actorEmail: admin.actorEmail,
    });
    await setAccountEnabled(db.prisma, A, true, admin);
  });

  it("is a scan reported as recorded and failed, not as nothing changed, when its jobs cannot be queued", async () => {
    const stopped = await startBoss(db.url, { supervise: false });
    await stopped.stop({ graceful: false, wait: true });
    const result = await guarded(async () => {
      try {
        await startScan(db.prisma, stopped, { trigger: "MANUAL", actor: admin });
        return { ok: true };
      } catch (err) {
        return { ok: false, message: (err as Error).message };
      }
    });
    expect(result.message).toMatch(
      /^Scan \S+ was recorded but could not be queued \(.+\); it is marked failed\. Try again\.$/,
    );
    expect(result.message).not.toMatch(/Nothing was changed/);
    const scan = await db.prisma.scan.findFirstOrThrow({
      orderBy: { startedAt: "desc" },
      include: { targets: true },
    });
    expect(scan.status).toBe("FAILED");
    expect(scan.targets.every((t) => t.status === "FAILED")).toBe(true);
    expect(await db.prisma.auditLog.count({ where: { action: "scan.start", target: scan.id } })).toBe(1);
  });
});
