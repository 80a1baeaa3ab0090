// The Organizations and Account APIs of the sandbox, through the real SDK clients over HTTP.
import {
  AccountClient,
  GetRegionOptStatusCommand,
  ListRegionsCommand,
  paginateListRegions,
  type AccountClientConfig,
  type ListRegionsCommandInput,
} from "@aws-sdk/client-account";
import { KMSClient, ListKeysCommand } from "@aws-sdk/client-kms";
import {
  DescribeAccountCommand,
  DescribeOrganizationCommand,
  DescribeOrganizationalUnitCommand,
  ListAccountsCommand,
  ListChildrenCommand,
  ListParentsCommand,
  ListRootsCommand,
  OrganizationsClient,
  paginateListAccounts,
  paginateListAccountsForParent,
  paginateListChildren,
  paginateListOrganizationalUnitsForParent,
  type Account,
  type OrganizationsClientConfig,
} from "@aws-sdk/client-organizations";
import { AssumeRoleCommand } from "@aws-sdk/client-sts";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { stsClient } from "@/test/support/kms-sandbox";
import { ALL_REGIONS } from "./aws-regions";
import { sandboxClientConfig } from "./client-config";
import { generateEstate, MEMBER_ROLE_EXTERNAL_ID, MEMBER_ROLE_NAME, type Estate } from "./estate";
import { startSandbox, type RunningSandbox } from "./server";

const regions = ["us-east-1", "eu-west-1", "eu-south-1"];
const organizationEstate = (seed: string) =>
  generateEstate({ accounts: 60, regions, keysPerRegion: 2, seed, organization: { ous: 10, depth: 4 } });

let sandbox: RunningSandbox;
let estate: Estate;
const clients: { destroy(): void }[] = [];

function orgClient(accountId: string, extra: Partial<OrganizationsClientConfig> = {}, on = sandbox) {
  const client = new OrganizationsClient({
    ...sandboxClientConfig(on.url, accountId, "us-east-1"),
    ...extra,
  });
  clients.push(client);
  return client;
}

function accountClient(accountId: string, extra: Partial<AccountClientConfig> = {}) {
  const client = new AccountClient({ ...sandboxClientConfig(sandbox.url, accountId, "us-east-1"), ...extra });
  clients.push(client);
  return client;
}

async function listAccounts(client: OrganizationsClient, pageSize?: number): Promise<Account[]> {
  const all: Account[] = [];
  for await (const page of paginateListAccounts({ client, pageSize }, {})) all.push(...(page.Accounts ?? []));
  return all;
}

async function listRegions(client: AccountClient, input: ListRegionsCommandInput = {}, pageSize?: number) {
  const all: { name: string; status: string }[] = [];
  for await (const page of paginateListRegions({ client, pageSize }, input))
    all.push(...(page.Regions ?? []).map((r) => ({ name: r.RegionName!, status: r.RegionOptStatus! })));
  return all;
}

const org = () => estate.organization!;
const management = () => org().managementAccountId;
/** A plain member: active, with the member role, neither the leaver nor an administrator. */
const plainMember = () =>
  org().members.find(
    (m) =>
      m.accountId !== management() &&
      m.status === "ACTIVE" &&
      m.accountId !== org().leaverId &&
      !org().delegatedAdministrators.includes(m.accountId) &&
      estate.accounts.find((a) => a.id === m.accountId)!.memberRole,
  )!;

beforeAll(async () => {
  // The leaver leaves after the first complete ListAccounts: the leaver's tests run on their own sandbox.
  sandbox = await startSandbox({ estate: organizationEstate("org") });
  sandbox.organizationLeave(sandbox.estate.organization!.leaverId!);
  estate = sandbox.estate;
});

afterEach(() => sandbox.setFaults({}));

afterAll(async () => {
  for (const client of clients) client.destroy();
  await sandbox?.stop();
});

describe("Organizations, as the management account", () => {
  it("describes the organization and its one root", async () => {
    const client = orgClient(management());
    const { Organization } = await client.send(new DescribeOrganizationCommand({}));
    expect(Organization).toEqual({
      Id: org().id,
      Arn: org().arn,
      FeatureSet: "ALL",
      MasterAccountArn: org().members[0]!.arn,
      MasterAccountId: management(),
      MasterAccountEmail: org().members[0]!.email,
      AvailablePolicyTypes: [{ Type: "SERVICE_CONTROL_POLICY", Status: "ENABLED" }],
    });
    const { Roots } = await client.send(new ListRootsCommand({}));
    expect(Roots).toEqual([expect.objectContaining({ Id: org().rootId, Arn: org().rootArn, Name: "Root" })]);
  });

  it("lists the same accounts with any page size, in pages of at most MaxResults", async () => {
    const client = orgClient(management());
    const expected = org()
      .members.filter((m) => m.accountId !== org().leaverId)
      .map((m) => m.accountId);
    for (const pageSize of [1, 7, 20])
      expect((await listAccounts(client, pageSize)).map((a) => a.Id)).toEqual(expected);
    const first = await client.send(new ListAccountsCommand({ MaxResults: 7 }));
    expect(first.Accounts).toHaveLength(7);
    expect(first.NextToken).toBeTruthy();
  });

  it("serves each account's name, email, ARN, status and join date", async () => {
    const accounts = await listAccounts(orgClient(management()));
    const member = org().members[1]!;
    expect(accounts.find((a) => a.Id === member.accountId)).toEqual({
      Id: member.accountId,
      Arn: member.arn,
      Email: member.email,
      Name: estate.accounts[1]!.name,
      Status: member.status,
      State: member.status,
      JoinedMethod: member.joinedMethod,
      JoinedTimestamp: member.joinedTimestamp,
    });
    expect(accounts.filter((a) => a.Status === "SUSPENDED")).toHaveLength(1);
    expect(accounts.filter((a) => a.Status === "PENDING_CLOSURE")).toHaveLength(1);
  });

  it("walks the OU tree from the root: every OU and account once, four levels deep", async () => {
    const client = orgClient(management());
    const seenAccounts: string[] = [];
    const seenUnits: string[] = [];
    let deepest = 0;
    const walk = async (parentId: string, depth: number): Promise<void> => {
      deepest = Math.max(deepest, depth);
      for await (const page of paginateListAccountsForParent({ client, pageSize: 3 }, { ParentId: parentId }))
        seenAccounts.push(...page.Accounts!.map((a) => a.Id!));
      for await (const page of paginateListOrganizationalUnitsForParent(
        { client, pageSize: 2 },
        { ParentId: parentId },
      ))
        for (const unit of page.OrganizationalUnits!) {
          seenUnits.push(unit.Id!);
          expect(unit.Path).toBe(org().units.find((u) => u.id === unit.Id)!.path);
          await walk(unit.Id!, depth + 1);
        }
    };
    await walk(org().rootId, 0);
    expect(deepest).toBe(4);
    expect(seenUnits.sort()).toEqual(
      org()
        .units.map((u) => u.id)
        .sort(),
    );
    expect(seenAccounts.sort()).toEqual(
      org()
        .members.filter((m) => m.accountId !== org().leaverId)
        .map((m) => m.accountId)
        .sort(),
    );
  });

  it("lists children by type and the parent of an account and of an OU", async () => {
    const client = orgClient(management());
    const unit = org().units.find((u) => u.parentId !== org().rootId)!;
    const children: string[] = [];
    for await (const page of paginateListChildren(
      { client, pageSize: 1 },
      { ParentId: unit.parentId, ChildType: "ORGANIZATIONAL_UNIT" },
    ))
      children.push(...page.Children!.map((c) => `${c.Type}:${c.Id}`));
    expect(children).toContain(`ORGANIZATIONAL_UNIT:${unit.id}`);
    expect((await client.send(new ListParentsCommand({ ChildId: unit.id }))).Parents).toEqual([
      { Id: unit.parentId, Type: "ORGANIZATIONAL_UNIT" },
    ]);
    expect((await client.send(new ListParentsCommand({ ChildId: management() }))).Parents).toEqual([
      { Id: org().rootId, Type: "ROOT" },
    ]);
    const { OrganizationalUnit } = await client.send(
      new DescribeOrganizationalUnitCommand({ OrganizationalUnitId: unit.id }),
    );
    expect(OrganizationalUnit).toEqual({ Id: unit.id, Arn: unit.arn, Name: unit.name, Path: unit.path });
    const { Account } = await client.send(new DescribeAccountCommand({ AccountId: plainMember().accountId }));
    expect(Account?.Email).toBe(plainMember().email);
  });

  it("answers bad input with AWS's errors", async () => {
    const client = orgClient(management(), { maxAttempts: 1 });
    const unknownOu = `ou-${org().rootId.slice(2)}-zzzzzzzz`;
    await expect(client.send(new ListAccountsCommand({ MaxResults: 21 }))).rejects.toMatchObject({
      name: "InvalidInputException",
      Reason: "MAX_VALUE_EXCEEDED",
    });
    await expect(client.send(new ListAccountsCommand({ NextToken: "not-a-token" }))).rejects.toMatchObject({
      name: "InvalidInputException",
      Reason: "INVALID_PAGINATION_TOKEN",
    });
    // A token of another listing is refused too.
    const { NextToken } = await client
      .send(new ListRootsCommand({}))
      .then(() => client.send(new ListAccountsCommand({ MaxResults: 1 })));
    await expect(
      client.send(new ListChildrenCommand({ ParentId: org().rootId, ChildType: "ACCOUNT", NextToken })),
    ).rejects.toMatchObject({ name: "InvalidInputException", Reason: "INVALID_PAGINATION_TOKEN" });
    await expect(
      client.send(new ListChildrenCommand({ ParentId: "nonsense", ChildType: "ACCOUNT" })),
    ).rejects.toMatchObject({ name: "InvalidInputException", Reason: "INVALID_PATTERN" });
    await expect(
      client.send(new ListChildrenCommand({ ParentId: unknownOu, ChildType: "ACCOUNT" })),
    ).rejects.toMatchObject({ name: "ParentNotFoundException", $metadata: { httpStatusCode: 404 } });
    await expect(
      client.send(new ListChildrenCommand({ ParentId: org().rootId, ChildType: "POLICY" as "ACCOUNT" })),
    ).rejects.toMatchObject({ name: "InvalidInputException" });
    await expect(client.send(new ListParentsCommand({ ChildId: "123456789012" }))).rejects.toMatchObject({
      name: "ChildNotFoundException",
    });
    await expect(
      client.send(new DescribeOrganizationalUnitCommand({ OrganizationalUnitId: unknownOu })),
    ).rejects.toMatchObject({ name: "OrganizationalUnitNotFoundException" });
  });
});

describe("Organizations, as other callers", () => {
  it("lets a member describe the organization but not list it", async () => {
    const client = orgClient(plainMember().accountId, { maxAttempts: 1 });
    expect((await client.send(new DescribeOrganizationCommand({}))).Organization?.Id).toBe(org().id);
    await expect(client.send(new ListAccountsCommand({}))).rejects.toMatchObject({
      name: "AccessDeniedException",
      $metadata: { httpStatusCode: 403 },
    });
    await expect(client.send(new ListRootsCommand({}))).rejects.toMatchObject({
      name: "AccessDeniedException",
    });
  });

  it("lets the delegated administrator list the organization", async () => {
    const [admin] = org().delegatedAdministrators;
    expect((await listAccounts(orgClient(admin!))).length).toBe(org().members.length - 1);
  });

  it("lets the member role's sessions of the management account list it", async () => {
    const sts = stsClient(sandbox, plainMember().accountId);
    clients.push(sts);
    const { Credentials } = await sts.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${management()}:role/${MEMBER_ROLE_NAME}`,
        RoleSessionName: "org-sync",
        ExternalId: MEMBER_ROLE_EXTERNAL_ID,
      }),
    );
    const client = new OrganizationsClient({
      endpoint: sandbox.url,
      region: "us-east-1",
      credentials: {
        accessKeyId: Credentials!.AccessKeyId!,
        secretAccessKey: Credentials!.SecretAccessKey!,
        sessionToken: Credentials!.SessionToken!,
      },
    });
    clients.push(client);
    expect((await listAccounts(client)).length).toBe(org().members.length - 1);
  });

  it("answers AWSOrganizationsNotInUseException in an estate without an organization", async () => {
    const lone = await startSandbox({
      estate: generateEstate({ accounts: 1, regions: ["us-east-1"], keysPerRegion: 1, seed: 1 }),
    });
    try {
      const client = orgClient(lone.estate.accounts[0]!.id, { maxAttempts: 1 }, lone);
      await expect(client.send(new DescribeOrganizationCommand({}))).rejects.toMatchObject({
        name: "AWSOrganizationsNotInUseException",
      });
    } finally {
      await lone.stop();
    }
  });
});

describe("the member role", () => {
  const assume = (accountId: string, externalId = MEMBER_ROLE_EXTERNAL_ID) => {
    const sts = stsClient(sandbox, management());
    clients.push(sts);
    return sts.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${accountId}:role/${MEMBER_ROLE_NAME}`,
        RoleSessionName: "kms-insights",
        ExternalId: externalId,
      }),
    );
  };

  it("is assumable with the organization's ExternalId in an account that has it", async () => {
    const { AssumedRoleUser } = await assume(plainMember().accountId);
    expect(AssumedRoleUser?.Arn).toBe(
      `arn:aws:sts::${plainMember().accountId}:assumed-role/${MEMBER_ROLE_NAME}/kms-insights`,
    );
    await expect(assume(plainMember().accountId, "wrong-id")).rejects.toMatchObject({ name: "AccessDenied" });
  });

  it("answers AccessDenied in the accounts without it and in the suspended account", async () => {
    const without = estate.accounts.filter((a) => !a.memberRole);
    expect(without.length).toBeGreaterThan(0);
    for (const account of without)
      await expect(assume(account.id)).rejects.toMatchObject({
        name: "AccessDenied",
        $metadata: { httpStatusCode: 403 },
      });
    const suspended = org().members.find((m) => m.status === "SUSPENDED")!;
    expect(estate.accounts.find((a) => a.id === suspended.accountId)!.memberRole).toBeDefined();
    await expect(assume(suspended.accountId)).rejects.toMatchObject({ name: "AccessDenied" });
  });
});

describe("the leaver", () => {
  it("is listed by the first complete ListAccounts and gone from the second", async () => {
    const own = await startSandbox({ estate: organizationEstate("leaver") });
    try {
      const leaver = own.estate.organization!.leaverId!;
      const client = orgClient(own.estate.organization!.managementAccountId, { maxAttempts: 1 }, own);
      // A listing stopped halfway does not count.
      await client.send(new ListAccountsCommand({ MaxResults: 5 }));
      const first = await listAccounts(client, 20);
      expect(first.map((a) => a.Id)).toContain(leaver);
      const second = await listAccounts(client, 20);
      expect(second).toHaveLength(first.length - 1);
      expect(second.map((a) => a.Id)).not.toContain(leaver);
      await expect(client.send(new ListParentsCommand({ ChildId: leaver }))).rejects.toMatchObject({
        name: "ChildNotFoundException",
      });
      await expect(client.send(new DescribeAccountCommand({ AccountId: leaver }))).rejects.toMatchObject({
        name: "AccountNotFoundException",
      });
      const itself = orgClient(leaver, { maxAttempts: 1 }, own);
      await expect(itself.send(new DescribeOrganizationCommand({}))).rejects.toMatchObject({
        name: "AWSOrganizationsNotInUseException",
      });
      expect(own.organizationLeft()).toEqual([leaver]);
    } finally {
      await own.stop();
    }
  });

  it("can be any member, at once, through the admin route; never the management account", async () => {
    const own = await startSandbox({ estate: organizationEstate("leaver") });
    try {
      const { managementAccountId, members } = own.estate.organization!;
      const post = (accountId: string) =>
        fetch(`${own.url}/__sandbox/organization/leave`, {
          method: "POST",
          body: JSON.stringify({ accountId }),
        });
      const answer = await post(members[5]!.accountId);
      expect(answer.status).toBe(200);
      expect(await answer.json()).toEqual({ left: [members[5]!.accountId] });
      expect((await post(managementAccountId)).status).toBe(400);
      expect((await post("123456789012")).status).toBe(400);
      const listed = await listAccounts(orgClient(managementAccountId, {}, own));
      expect(listed.map((a) => a.Id)).not.toContain(members[5]!.accountId);
      const shown = (await (await fetch(`${own.url}/__sandbox/organization`)).json()) as { left: string[] };
      expect(shown.left).toContain(members[5]!.accountId);
    } finally {
      await own.stop();
    }
  });
});

describe("Account API", () => {
  /** A member (not the management account, not the leaver) with the region enabled, or not. */
  const memberWith = (region: string, enabled: boolean) =>
    estate.accounts.find(
      (a) =>
        a.id !== management() &&
        a.id !== org().leaverId &&
        a.enabledOptInRegions!.includes(region) === enabled,
    )!;

  it("lists every region of the caller's own account, paged, with its opt-in status", async () => {
    const account = estate.accounts[0]!;
    const regionsListed = await listRegions(accountClient(account.id), {}, 7);
    expect(regionsListed.map((r) => r.name)).toEqual([...ALL_REGIONS]);
    expect(regionsListed.find((r) => r.name === "us-east-1")!.status).toBe("ENABLED_BY_DEFAULT");
    for (const region of ["eu-south-1", "ap-east-1", "me-south-1", "af-south-1"])
      expect(regionsListed.find((r) => r.name === region)!.status).toBe(
        account.enabledOptInRegions!.includes(region) ? "ENABLED" : "DISABLED",
      );
  });

  it("filters by status and answers for a member when the management account names it", async () => {
    const member = memberWith("eu-south-1", true);
    const client = accountClient(management());
    const enabled = await listRegions(
      client,
      { AccountId: member.id, RegionOptStatusContains: ["ENABLED"] },
      2,
    );
    expect(enabled.map((r) => r.name).sort()).toEqual([...member.enabledOptInRegions!].sort());
    const status = await client.send(
      new GetRegionOptStatusCommand({ AccountId: member.id, RegionName: "eu-south-1" }),
    );
    expect(status).toMatchObject({ RegionName: "eu-south-1", RegionOptStatus: "ENABLED" });
    const other = memberWith("eu-south-1", false);
    const off = await client.send(
      new GetRegionOptStatusCommand({ AccountId: other.id, RegionName: "eu-south-1" }),
    );
    expect(off.RegionOptStatus).toBe("DISABLED");
  });

  it("refuses another account's regions to a member, and bad input to anyone", async () => {
    const member = accountClient(plainMember().accountId, { maxAttempts: 1 });
    await expect(member.send(new ListRegionsCommand({ AccountId: management() }))).rejects.toMatchObject({
      name: "AccessDeniedException",
      $metadata: { httpStatusCode: 403 },
    });
    const client = accountClient(management(), { maxAttempts: 1 });
    await expect(client.send(new ListRegionsCommand({ AccountId: management() }))).rejects.toMatchObject({
      name: "ValidationException",
      $metadata: { httpStatusCode: 400 },
    });
    await expect(client.send(new ListRegionsCommand({ MaxResults: 51 }))).rejects.toMatchObject({
      name: "ValidationException",
      fieldList: [expect.objectContaining({ name: "MaxResults" })],
    });
    await expect(client.send(new ListRegionsCommand({ NextToken: "bogus" }))).rejects.toMatchObject({
      name: "ValidationException",
    });
    await expect(
      client.send(new ListRegionsCommand({ RegionOptStatusContains: ["MAYBE" as "ENABLED"] })),
    ).rejects.toMatchObject({ name: "ValidationException" });
    await expect(
      client.send(new GetRegionOptStatusCommand({ RegionName: "mars-north-1" })),
    ).rejects.toMatchObject({
      name: "ValidationException",
    });
  });
});

describe("opt-in regions in KMS", () => {
  it("serves keys in an opt-in region the account enabled, and refuses its credentials where it did not", async () => {
    const on = enabledIn("eu-south-1");
    const off = estate.accounts.find((a) => !a.enabledOptInRegions!.includes("eu-south-1"))!;
    const kms = (accountId: string) => {
      const client = new KMSClient({
        ...sandboxClientConfig(sandbox.url, accountId, "eu-south-1"),
        maxAttempts: 1,
      });
      clients.push(client);
      return client;
    };
    expect((await kms(on.id).send(new ListKeysCommand({}))).Keys).toHaveLength(2);
    await expect(kms(off.id).send(new ListKeysCommand({}))).rejects.toMatchObject({
      name: "UnrecognizedClientException",
    });
  });

  function enabledIn(region: string) {
    return estate.accounts.find((a) => a.enabledOptInRegions!.includes(region))!;
  }
});

describe("faults", () => {
  it("throttles Organizations and Account calls, which the SDK retries to the same answer", async () => {
    const calm = (await listAccounts(orgClient(management()), 5)).map((a) => a.Id);
    const calmRegions = await listRegions(accountClient(management()), {}, 10);
    sandbox.resetStats();
    sandbox.setFaults({ throttleRate: 0.3, seed: 2 });
    const orgs = orgClient(management(), { maxAttempts: 10 });
    const account = accountClient(management(), { maxAttempts: 10 });
    expect((await listAccounts(orgs, 5)).map((a) => a.Id)).toEqual(calm);
    expect(await listRegions(account, {}, 10)).toEqual(calmRegions);
    const stats = sandbox.stats();
    expect(stats.faults.throttled).toBeGreaterThan(0);
    expect(stats.errors.TooManyRequestsException).toBe(stats.faults.throttled);
  }, 120_000);

  it("gives up after the client's attempts with TooManyRequestsException, and waits the latency", async () => {
    sandbox.setFaults({ throttleRate: 1 });
    await expect(
      orgClient(management(), { maxAttempts: 1 }).send(new ListRootsCommand({})),
    ).rejects.toMatchObject({
      name: "TooManyRequestsException",
    });
    await expect(
      accountClient(management(), { maxAttempts: 1 }).send(new ListRegionsCommand({})),
    ).rejects.toMatchObject({ name: "TooManyRequestsException", $metadata: { httpStatusCode: 429 } });
    sandbox.setFaults({ latencyMs: 60 });
    const started = Date.now();
    await orgClient(management()).send(new ListRootsCommand({}));
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
  });
});

describe("other faults", () => {
  it("denies the operations named by accessDenied, and truncates the JSON of malformedJsonOperations", async () => {
    sandbox.setFaults({
      accessDenied: { operations: ["ListRegions"] },
      malformedJsonOperations: ["ListRoots"],
    });
    const account = accountClient(management(), { maxAttempts: 1 });
    await expect(account.send(new ListRegionsCommand({}))).rejects.toMatchObject({
      name: "AccessDeniedException",
      $metadata: { httpStatusCode: 403 },
    });
    const orgs = orgClient(management(), { maxAttempts: 1 });
    expect((await orgs.send(new ListAccountsCommand({}))).Accounts?.length).toBeGreaterThan(0);
    await expect(orgs.send(new ListRootsCommand({}))).rejects.toThrow();
    expect(sandbox.stats().faults).toMatchObject({ accessDenied: 1, malformed: 1 });
  });
});

describe("hostile answers", () => {
  it("stay parseable: unknown statuses and members, no emails, odd names, a region from the future", async () => {
    sandbox.setFaults({ hostile: true });
    const accounts = await listAccounts(orgClient(management()), 20);
    expect(accounts).toHaveLength(org().members.length - 1);
    expect(accounts.every((a) => a.Email === undefined && a.JoinedTimestamp === undefined)).toBe(true);
    expect(accounts.some((a) => String(a.Status) === "FUTURE_STATUS")).toBe(true);
    const listedRegions = await listRegions(accountClient(management()), {}, 50);
    expect(listedRegions.at(-1)).toEqual({ name: "xx-future-1", status: "FUTURE_STATUS" });
  });
});

describe("at scale", () => {
  it("serves 1,000 accounts in 50 OUs through the paginator at a realistic latency", async () => {
    const started = performance.now();
    const big = await startSandbox({
      estate: generateEstate({
        accounts: 1000,
        regions: ["us-east-1"],
        keysPerRegion: 1,
        seed: "scale",
        organization: { ous: 50, depth: 5 },
      }),
      faults: { latencyMs: 20 },
    });
    try {
      expect(performance.now() - started).toBeLessThan(3000);
      const client = orgClient(big.estate.organization!.managementAccountId, {}, big);
      const listed = await listAccounts(client);
      expect(listed).toHaveLength(1000);
      expect(big.stats().byOperation.ListAccounts).toBe(50);
    } finally {
      await big.stop();
    }
  }, 60_000);
});
