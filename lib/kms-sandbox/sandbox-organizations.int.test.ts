import { AccountClient, GetRegionOptStatusCommand, paginateListRegions } from "@aws-sdk/client-account";
import {
  DescribeOrganizationCommand,
  DescribeOrganizationalUnitCommand,
  ListParentsCommand,
  ListRootsCommand,
  OrganizationsClient,
  paginateListAccounts,
  type Account,
} from "@aws-sdk/client-organizations";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sandboxClientConfig } from "./client-config";
import { generateEstate, MEMBER_ROLE_EXTERNAL_ID, MEMBER_ROLE_NAME, type Estate } from "./estate";
import { startSandbox, type RunningSandbox } from "./server";

let sandbox: RunningSandbox;
let estate: Estate;
const regions = ["us-east-1", "eu-west-1", "eu-south-1"];

const orgClient = (accountId: string) =>
  new OrganizationsClient(sandboxClientConfig(sandbox.url, accountId, "us-east-1"));
const accountClient = (accountId: string) =>
  new AccountClient(sandboxClientConfig(sandbox.url, accountId, "us-east-1"));

async function listAccounts(client: OrganizationsClient, pageSize?: number): Promise<Account[]> {
  const all: Account[] = [];
  for await (const page of paginateListAccounts({ client, pageSize }, {})) all.push(...(page.Accounts ?? []));
  return all;
}

beforeAll(async () => {
  sandbox = await startSandbox({
    estate: generateEstate({
      accounts: 60,
      regions,
      keysPerRegion: 2,
      seed: "org",
      organization: { ous: 10, depth: 4 },
    }),
  });
  estate = sandbox.estate;
});

afterAll(async () => {
  await sandbox?.stop();
});

describe("Organizations", () => {
  it("describes the organization and its root to the management account", async () => {
    const org = estate.organization!;
    const management = orgClient(org.managementAccountId);
    const { Organization } = await management.send(new DescribeOrganizationCommand({}));
    expect(Organization).toMatchObject({
      Id: org.id,
      FeatureSet: "ALL",
      MasterAccountId: estate.accounts[0]!.id,
    });
    const { Roots } = await management.send(new ListRootsCommand({}));
    expect(Roots).toEqual([expect.objectContaining({ Id: org.rootId, Name: "Root" })]);
    management.destroy();
  });

  it("lists every account in pages, with statuses, and places each in its OU", async () => {
    const org = estate.organization!;
    const management = orgClient(org.managementAccountId);
    const accounts = await listAccounts(management, 7);
    expect(accounts.map((a) => a.Id)).toEqual(estate.accounts.map((a) => a.id));
    expect(accounts.filter((a) => a.Status === "SUSPENDED")).toHaveLength(1);
    expect(accounts[0]!.JoinedTimestamp).toBeInstanceOf(Date);
    const member = org.members.find((m) => m.parentId !== org.rootId)!;
    const { Parents } = await management.send(new ListParentsCommand({ ChildId: member.accountId }));
    expect(Parents).toEqual([{ Id: member.parentId, Type: "ORGANIZATIONAL_UNIT" }]);
    const { OrganizationalUnit } = await management.send(
      new DescribeOrganizationalUnitCommand({ OrganizationalUnitId: member.parentId }),
    );
    expect(OrganizationalUnit?.Name).toBe(org.units.find((u) => u.id === member.parentId)!.name);
    management.destroy();
  });
});

describe("Account", () => {
  it("lists a member's regions with their opt-in status, filtered, for the management account", async () => {
    const org = estate.organization!;
    const member = estate.accounts.find((a, i) => i > 0 && a.enabledOptInRegions?.includes("eu-south-1"))!;
    const client = accountClient(org.managementAccountId);
    const enabled: string[] = [];
    for await (const page of paginateListRegions(
      { client, pageSize: 5 },
      { AccountId: member.id, RegionOptStatusContains: ["ENABLED", "ENABLED_BY_DEFAULT"] },
    ))
      enabled.push(...(page.Regions ?? []).map((r) => r.RegionName!));
    expect(enabled).toContain("eu-south-1");
    expect(enabled).toContain("us-east-1");
    const status = await client.send(
      new GetRegionOptStatusCommand({ AccountId: member.id, RegionName: "eu-south-1" }),
    );
    expect(status.RegionOptStatus).toBe("ENABLED");
    expect(org.memberRole).toEqual({ roleName: MEMBER_ROLE_NAME, externalId: MEMBER_ROLE_EXTERNAL_ID });
    client.destroy();
  });
});
