import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { accountsCommand } from "@/lib/cli/accounts";
import type { CliIO } from "@/lib/cli/io";
import { getEncrypter, recordContext } from "@/lib/secrets";
import { useFreshDatabase } from "@/test/db";
import { addAccount, AccountError, updateAccount } from "./service";

// An account's remediation access: a separate write access, its external id stored encrypted and
// never given back, audited with every account change.

const db = useFreshDatabase();
const by = { actorEmail: "admin@example.com" };
const FIX_ROLE = "arn:aws:iam::210987654321:role/KmsInsightsRemediation";
const SECRET = "remediation-external-id-never-shown";

const base = (id: string) => ({ id, name: `Account ${id}`, regions: ["us-east-1"] });
const row = (id: string) => db.prisma.awsAccount.findUniqueOrThrow({ where: { id } });
const decrypt = async (id: string, cipher: string) =>
  (await getEncrypter()).decrypt(cipher, recordContext("aws_accounts", id, "remediation_external_id"));
const lastAudit = (id: string) =>
  db.prisma.auditLog.findFirstOrThrow({ where: { target: id }, orderBy: { id: "desc" } });

describe("remediation access on an account", () => {
  it("is none by default: no write access stored", async () => {
    await addAccount(db.prisma, base("210987654320"), by);
    expect(await row("210987654320")).toMatchObject({
      remediationMethod: null,
      remediationRoleArn: null,
      remediationProfile: null,
      remediationExternalIdCipher: null,
    });
  });

  it("stores a role with its external id encrypted, audited without the id", async () => {
    const id = "210987654321";
    await addAccount(
      db.prisma,
      { ...base(id), remediationMethod: "ROLE", remediationRoleArn: FIX_ROLE, remediationExternalId: SECRET },
      by,
    );
    const a = await row(id);
    expect(a.remediationMethod).toBe("ROLE");
    expect(a.remediationRoleArn).toBe(FIX_ROLE);
    expect(a.remediationExternalIdCipher).not.toContain(SECRET);
    expect(await decrypt(id, a.remediationExternalIdCipher!)).toBe(SECRET);
    // Bound to its column: the scanning external id's context does not open it.
    await expect(
      (await getEncrypter()).decrypt(
        a.remediationExternalIdCipher!,
        recordContext("aws_accounts", id, "external_id"),
      ),
    ).rejects.toThrow();
    const entry = await lastAudit(id);
    expect(entry.action).toBe("account.create");
    expect(entry.details).toMatchObject({
      remediationMethod: "ROLE",
      remediationRoleArn: FIX_ROLE,
      remediationExternalId: "set",
    });
    expect(JSON.stringify(entry.details)).not.toContain(SECRET);
    const dump = await db.prisma.$queryRaw<{ t: string }[]>`SELECT t::text AS t FROM aws_accounts t`;
    expect(dump.map((r) => r.t).join()).not.toContain(SECRET);
  });

  it("keeps the stored external id when left out, replaces it, clears it, and drops it with the role", async () => {
    const id = "210987654321";
    const edit = { ...base(id), remediationMethod: "ROLE" as const, remediationRoleArn: FIX_ROLE };
    const before = (await row(id)).remediationExternalIdCipher;
    await updateAccount(db.prisma, edit, by);
    expect((await row(id)).remediationExternalIdCipher).toBe(before);
    expect((await lastAudit(id)).action).toBe("account.update");

    await updateAccount(db.prisma, { ...edit, remediationExternalId: "a-new-one" }, by);
    expect(await decrypt(id, (await row(id)).remediationExternalIdCipher!)).toBe("a-new-one");

    await updateAccount(db.prisma, { ...edit, clearRemediationExternalId: true }, by);
    expect((await row(id)).remediationExternalIdCipher).toBeNull();

    await updateAccount(db.prisma, { ...edit, remediationExternalId: "again-1" }, by);
    await updateAccount(
      db.prisma,
      { ...base(id), remediationMethod: "PROFILE", remediationProfile: "fixer" },
      by,
    );
    expect(await row(id)).toMatchObject({
      remediationMethod: "PROFILE",
      remediationProfile: "fixer",
      remediationRoleArn: null,
      remediationExternalIdCipher: null,
    });
    expect((await lastAudit(id)).details).toMatchObject({ remediationMethod: "PROFILE" });

    await updateAccount(db.prisma, { ...base(id), remediationMethod: "NONE" }, by);
    expect(await row(id)).toMatchObject({ remediationMethod: null, remediationProfile: null });
    expect((await lastAudit(id)).details).toMatchObject({ remediationMethod: "NONE" });
  });

  it("refuses a bad remediation role ARN by field and stores nothing", async () => {
    const err = await addAccount(
      db.prisma,
      { ...base("210987654322"), remediationMethod: "ROLE", remediationRoleArn: "not-an-arn" },
      by,
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AccountError);
    expect((err as AccountError).fieldErrors.remediationRoleArn).toEqual([
      "A role ARN looks like arn:aws:iam::123456789012:role/KmsInsightsReadOnly.",
    ]);
    expect(await db.prisma.awsAccount.findUnique({ where: { id: "210987654322" } })).toBeNull();
  });
});

async function cli(argv: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const io: CliIO = {
    out: (l) => lines.push(l),
    err: (l) => lines.push(l),
    stdin: new PassThrough(),
    stdout: new PassThrough(),
  };
  try {
    return { code: await accountsCommand(argv, db.prisma, io), out: lines.join("\n") };
  } catch (err) {
    return { code: 2, out: [...lines, (err as Error).message].join("\n") };
  }
}

describe("kms-insights accounts add/update with remediation flags", () => {
  const id = "310987654321";
  it("adds an account with a remediation role and external id, shown in the list without the id", async () => {
    const added = await cli([
      "add",
      "--id",
      id,
      "--name",
      "Fixable",
      "--regions",
      "us-east-1",
      "--remediation-role-arn",
      FIX_ROLE,
      "--remediation-external-id",
      SECRET,
    ]);
    expect(added.code).toBe(0);
    expect(added.out).toContain(`remediation access role ${FIX_ROLE} (external id)`);
    expect(await decrypt(id, (await row(id)).remediationExternalIdCipher!)).toBe(SECRET);
    const list = await cli(["list"]);
    expect(list.out).toContain("REMEDIATION");
    expect(list.out).not.toContain(SECRET);
  });

  it("updates the name and keeps the remediation access when no remediation flag is given", async () => {
    expect((await cli(["update", "--id", id, "--name", "Renamed"])).code).toBe(0);
    expect(await row(id)).toMatchObject({ name: "Renamed", remediationMethod: "ROLE" });
    expect(await decrypt(id, (await row(id)).remediationExternalIdCipher!)).toBe(SECRET);
  });

  it("switches to a profile, then --no-remediation removes it", async () => {
    expect((await cli(["update", "--id", id, "--remediation-profile", "fixer"])).code).toBe(0);
    expect(await row(id)).toMatchObject({ remediationMethod: "PROFILE", remediationExternalIdCipher: null });
    const none = await cli(["update", "--id", id, "--no-remediation"]);
    expect(none.out).toContain("remediation access none");
    expect((await row(id)).remediationMethod).toBeNull();
  });

  it.each([
    [["--remediation-role-arn", FIX_ROLE, "--remediation-profile", "p"], "not both"],
    [["--remediation-external-id", "abc"], "--remediation-external-id goes with --remediation-role-arn."],
    [["--no-remediation", "--remediation-profile", "p"], "give no other remediation flag"],
    [["--remediation-role-arn", "arn:nope"], "A role ARN looks like"],
  ])("refuses %j with a message and changes nothing", async (flags, message) => {
    const before = await row(id);
    const res = await cli(["update", "--id", id, ...flags]);
    expect(res.code).not.toBe(0);
    expect(res.out).toContain(message);
    expect(await row(id)).toEqual(before);
  });
});
