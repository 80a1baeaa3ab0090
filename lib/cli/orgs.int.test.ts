import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { generateEstate, MEMBER_ROLE_EXTERNAL_ID, MEMBER_ROLE_NAME } from "@/lib/kms-sandbox";
import { useFreshDatabase } from "@/test/db";
import { useOrgSandbox } from "@/test/support/kms-sandbox";
import { accountsCommand } from "./accounts";
import { UsageError, type CliIO } from "./io";
import { orgsCommand } from "./orgs";

// `npm run cli -- orgs …` and `accounts add --all-enabled-regions` against an organization in the
// sandbox, through the same functions the console uses.

const estate = generateEstate({
  accounts: 6,
  regions: ["us-east-1", "eu-south-1"],
  keysPerRegion: 1,
  seed: "orgs-cli",
  organization: { ous: 3, depth: 2, leaver: false },
});
const db = useFreshDatabase();
const running = useOrgSandbox(estate);

async function run(command: typeof orgsCommand, argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    stdin: new PassThrough(),
    stdout: new PassThrough(),
  };
  const code = await command(argv, db.prisma, io);
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("npm run cli -- orgs", () => {
  it("add: saves the organization, syncs it at once, progress on stderr and the summary on stdout", async () => {
    const res = await run(orgsCommand, [
      "add",
      "--name",
      "Acme",
      "--member-role-name",
      MEMBER_ROLE_NAME,
      "--member-external-id",
      MEMBER_ROLE_EXTERNAL_ID,
      "--allow-regions",
      "us-east-1",
    ]);
    expect(res.code).toBe(0);
    expect(res.err).toMatch(/^Added organization Acme \(id [\w-]+\)\. Syncing it…/);
    expect(res.err).toContain(`of ${estate.accounts.length} accounts listed so far done`);
    expect(res.out).toMatch(new RegExp(`^Acme: ${estate.accounts.length} accounts listed: \\d+ added, `));
    const accounts = await db.prisma.awsAccount.findMany({ where: { orgStatus: "ACTIVE" } });
    expect(accounts.length).toBeGreaterThan(0);
    for (const a of accounts) expect(a.ouPath).toMatch(/^Root( \/ .+)?$/);
    expect(
      await db.prisma.auditLog.count({ where: { actorEmail: "cli", action: "organization.sync" } }),
    ).toBe(1);
  });

  it("list: each organization with its accounts and last sync", async () => {
    const res = await run(orgsCommand, ["list"]);
    expect(res.out).toMatch(/^ID\s+NAME\s+ACCESS\s+MEMBER ROLE\s+ACCOUNTS\s+LAST SYNC\s+RESULT/);
    expect(res.out).toContain(`Acme`);
    expect(res.out).toContain(`${estate.accounts.length} accounts listed:`);
  });

  it("sync: every organization, or the one named; an unknown id is a usage error", async () => {
    const res = await run(orgsCommand, ["sync"]);
    expect(res).toMatchObject({ code: 0 });
    expect(res.out).toMatch(/^Acme: .* 0 added/);
    await expect(run(orgsCommand, ["sync", "--id", "nope"])).rejects.toThrow(
      new UsageError("Organization nope is not configured."),
    );
  });

  it("add: bad input is one sentence per field, and nothing is saved", async () => {
    await expect(
      run(orgsCommand, [
        "add",
        "--name",
        "Bad",
        "--member-role-name",
        "no spaces allowed",
        "--exclude-ous",
        "ou-1",
      ]),
    ).rejects.toThrow(/A role name is 1 to 64 .*Not an OU or root id/);
    expect(await db.prisma.organization.count({ where: { name: "Bad" } })).toBe(0);
  });

  it("a sync whose listing is denied says so, exits 1, and changes no account", async () => {
    const before = await db.prisma.awsAccount.findMany({ orderBy: { id: "asc" } });
    running.sandbox.setFaults({ accessDenied: { operations: ["ListAccounts"] } });
    try {
      const res = await run(orgsCommand, ["sync"]);
      expect(res.code).toBe(1);
      expect(res.err).toMatch(/^Sync of Acme failed: AccessDeniedException/);
    } finally {
      running.sandbox.setFaults({});
    }
    expect(await db.prisma.awsAccount.findMany({ orderBy: { id: "asc" } })).toEqual(before);
    const org = await db.prisma.organization.findFirstOrThrow();
    expect(org.lastSyncError).toMatch(/AccessDenied/);
  });

  it("update: changes what is given and keeps the rest; bad input changes nothing", async () => {
    const org = await db.prisma.organization.findFirstOrThrow();
    const res = await run(orgsCommand, [
      "update",
      "--id",
      org.id,
      "--name",
      "Acme Corp",
      "--deny-regions",
      "eu-south-1",
      "--allow-regions",
      "",
    ]);
    expect(res).toMatchObject({
      code: 0,
      err: `Saved organization Acme Corp (id ${org.id}). Its rules apply from the next sync.`,
    });
    const after = await db.prisma.organization.findUniqueOrThrow({ where: { id: org.id } });
    expect(after).toMatchObject({
      name: "Acme Corp",
      regionDeny: ["eu-south-1"],
      regionAllow: [],
      memberRoleName: MEMBER_ROLE_NAME,
      accessMethod: org.accessMethod,
      memberExternalIdCipher: org.memberExternalIdCipher,
    });
    expect(
      await db.prisma.auditLog.count({ where: { actorEmail: "cli", action: "organization.update" } }),
    ).toBe(1);

    await expect(
      run(orgsCommand, [
        "update",
        "--id",
        org.id,
        "--member-role-name",
        "no spaces",
        "--include-ous",
        "ou-1",
      ]),
    ).rejects.toThrow(/A role name is 1 to 64 .*Not an OU or root id/);
    await expect(run(orgsCommand, ["update", "--name", "x"])).rejects.toThrow(
      new UsageError("Name the organization: orgs update --id ID (ids from `orgs list`)."),
    );
    await expect(
      run(orgsCommand, ["update", "--id", org.id, "--profile", "p", "--default-chain"]),
    ).rejects.toThrow(new UsageError("Give one of --role-arn, --profile or --default-chain."));
    expect(await db.prisma.organization.findUniqueOrThrow({ where: { id: org.id } })).toEqual(after);
    // Back to its name for the tests below.
    await run(orgsCommand, ["update", "--id", org.id, "--name", "Acme"]);
  });

  it("remove: keeps the accounts unless --remove-accounts", async () => {
    const org = await db.prisma.organization.findFirstOrThrow();
    const count = await db.prisma.awsAccount.count({ where: { organizationId: org.id } });
    const res = await run(orgsCommand, ["remove", org.id]);
    expect(res.err).toBe(
      `Removed organization Acme; its ${count} account(s) stay, as accounts added by hand.`,
    );
    expect(await db.prisma.awsAccount.count()).toBe(count);
  });
});

describe("npm run cli -- accounts add --all-enabled-regions", () => {
  it("reads the account's enabled regions through its own access", async () => {
    const a = estate.accounts.find(
      (x) => x.role && !x.role.externalId && x.enabledOptInRegions?.includes("eu-south-1"),
    );
    const id = a?.id ?? estate.accounts[1]!.id;
    await db.prisma.awsAccount.deleteMany({ where: { id } });
    const res = await run(accountsCommand, ["add", "--id", id, "--name", "By hand", "--all-enabled-regions"]);
    expect(res.code).toBe(0);
    expect(res.err).toContain("all enabled regions");
    expect(res.err).toMatch(/Enabled regions: .*us-east-1/);
    const stored = await db.prisma.awsAccount.findUniqueOrThrow({ where: { id } });
    expect(stored.regionMode).toBe("ALL_ENABLED");
    expect(stored.regions).toContain("us-east-1");
    expect(stored.regions.length).toBeGreaterThan(10);
  });

  it("refuses --regions with --all-enabled-regions", async () => {
    await expect(
      run(accountsCommand, [
        "add",
        "--id",
        "123456789012",
        "--name",
        "x",
        "--regions",
        "us-east-1",
        "--all-enabled-regions",
      ]),
    ).rejects.toThrow("Give either --regions or --all-enabled-regions, not both.");
  });
});
