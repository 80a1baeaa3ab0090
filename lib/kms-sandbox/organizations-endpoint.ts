// AWS Organizations in awsJson1_1 (X-Amz-Target: AWSOrganizationsV20161128.<Op>, signed for
// "organizations", global in us-east-1): the read operations a sync needs, paged as AWS pages them.
import type { IncomingHttpHeaders } from "node:http";
import type { Caller } from "./credentials";
import type { SandboxOrgMember, SandboxOrgUnit } from "./estate-types";
import { hostileOrgAnswer } from "./hostile-org";
import { KmsError } from "./kms-errors";
import { epochSeconds, type Json } from "./kms-wire";
import type { OrganizationState } from "./organization-state";
import { parseAuthorization } from "./sigv4-scope";
import {
  applyFault,
  authenticate,
  pageOf,
  parseJsonObject,
  type OrgServiceDeps,
  type ServiceOutcome,
} from "./json-service";

const TARGET = /^AWSOrganizationsV20161128\.(\w+)$/;

export function isOrganizationsRequest(headers: IncomingHttpHeaders): boolean {
  if (TARGET.test(String(headers["x-amz-target"] ?? ""))) return true;
  return parseAuthorization(headers.authorization)?.service === "organizations";
}

// Statuses as the service model's httpError traits give them.
const STATUS: Record<string, number> = {
  AccessDeniedException: 403,
  AWSOrganizationsNotInUseException: 404,
  AccountNotFoundException: 404,
  ChildNotFoundException: 404,
  OrganizationalUnitNotFoundException: 404,
  ParentNotFoundException: 404,
  TooManyRequestsException: 429,
  ServiceException: 500,
};
const fail = (code: string, message: string, fields: Record<string, unknown> = {}) =>
  new KmsError(code, message, STATUS[code] ?? 400, fields);
const invalidInput = (reason: string, message: string) =>
  fail("InvalidInputException", message, { Reason: reason });
const invalidToken = () => invalidInput("INVALID_PAGINATION_TOKEN", "The NextToken value is not valid.");
const accessDenied = () =>
  fail("AccessDeniedException", "You don't have permissions to access this resource.");

const PATTERNS = {
  ParentId: /^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/,
  ChildId: /^(\d{12}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/,
  OrganizationalUnitId: /^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/,
  AccountId: /^\d{12}$/,
};

function requiredId(input: Json, name: keyof typeof PATTERNS): string {
  const value = input[name];
  if (value === undefined || value === null)
    throw invalidInput("INPUT_REQUIRED", `You must specify a value for ${name}.`);
  if (typeof value !== "string") throw fail("SerializationException", `${name} must be a string`);
  if (!PATTERNS[name].test(value))
    throw invalidInput("INVALID_PATTERN", `The ${name} '${value}' does not match the required pattern.`);
  return value;
}

function maxResults(input: Json): number {
  const value = input.MaxResults;
  if (value === undefined || value === null) return 20;
  if (typeof value !== "number" || !Number.isInteger(value))
    throw fail("SerializationException", "MaxResults must be an integer");
  if (value < 1) throw invalidInput("MIN_VALUE_EXCEEDED", "MaxResults must be at least 1.");
  if (value > 20) throw invalidInput("MAX_VALUE_EXCEEDED", "MaxResults must be at most 20.");
  return value;
}

const POLICY_TYPES = [{ Type: "SERVICE_CONTROL_POLICY", Status: "ENABLED" }];

function wireAccount(member: SandboxOrgMember): Json {
  return {
    Id: member.accountId,
    Arn: member.arn,
    Email: member.email,
    Name: member.name,
    Status: member.status,
    State: member.status,
    JoinedMethod: member.joinedMethod,
    JoinedTimestamp: epochSeconds(member.joinedTimestamp),
  };
}

const wireUnit = (unit: SandboxOrgUnit): Json => ({
  Id: unit.id,
  Arn: unit.arn,
  Name: unit.name,
  Path: unit.path,
});

interface OrgCall {
  deps: OrgServiceDeps;
  org: OrganizationState;
  caller: Caller;
  operation: string;
  input: Json;
}

function page<T>(call: OrgCall, all: readonly T[], keep: (item: T) => boolean, scope: string) {
  const max = maxResults(call.input);
  return pageOf(call.deps, all, keep, `${call.operation}|${scope}`, call.input.NextToken, max, invalidToken);
}

const withToken = (json: Json, nextToken: string | undefined): Json =>
  nextToken === undefined ? json : { ...json, NextToken: nextToken };

function parentOf(call: OrgCall): string {
  const parentId = requiredId(call.input, "ParentId");
  if (!call.org.isParent(parentId))
    throw fail("ParentNotFoundException", "We can't find a root or OU with the ParentId that you specified.");
  return parentId;
}

const OPERATIONS: Record<string, (call: OrgCall) => Json> = {
  DescribeOrganization: ({ org }) => {
    const o = org.organization;
    const management = org.member(o.managementAccountId)!;
    return {
      Organization: {
        Id: o.id,
        Arn: o.arn,
        FeatureSet: "ALL",
        MasterAccountArn: management.arn,
        MasterAccountId: management.accountId,
        MasterAccountEmail: management.email,
        AvailablePolicyTypes: POLICY_TYPES,
      },
    };
  },
  ListRoots: (call) => {
    const o = call.org.organization;
    const root = { Id: o.rootId, Arn: o.rootArn, Name: "Root", PolicyTypes: POLICY_TYPES };
    const { items, nextToken } = page(call, [root], () => true, "");
    return withToken({ Roots: items }, nextToken);
  },
  ListAccounts: (call) => {
    const { org } = call;
    const { items, nextToken } = page(call, org.allMembers(), org.isCurrent, "");
    const answer = withToken({ Accounts: items.map(wireAccount) }, nextToken);
    if (nextToken === undefined) org.listingCompleted();
    return answer;
  },
  ListAccountsForParent: (call) => {
    const parentId = parentOf(call);
    const { items, nextToken } = page(call, call.org.membersUnder(parentId), call.org.isCurrent, parentId);
    return withToken({ Accounts: items.map(wireAccount) }, nextToken);
  },
  ListOrganizationalUnitsForParent: (call) => {
    const parentId = parentOf(call);
    const { items, nextToken } = page(call, call.org.unitsUnder(parentId), () => true, parentId);
    return withToken({ OrganizationalUnits: items.map(wireUnit) }, nextToken);
  },
  ListChildren: (call) => {
    const parentId = parentOf(call);
    const type = call.input.ChildType;
    if (type === undefined || type === null)
      throw invalidInput("INPUT_REQUIRED", "You must specify a value for ChildType.");
    if (type !== "ACCOUNT" && type !== "ORGANIZATIONAL_UNIT")
      throw invalidInput("INVALID_ENUM", `ChildType must be ACCOUNT or ORGANIZATIONAL_UNIT.`);
    const { org } = call;
    const children: { Id: string; Type: string }[] =
      type === "ACCOUNT"
        ? org.membersUnder(parentId).map((m) => ({ Id: m.accountId, Type: type }))
        : org.unitsUnder(parentId).map((u) => ({ Id: u.id, Type: type }));
    const keep = (c: { Id: string }) => type !== "ACCOUNT" || org.member(c.Id) !== undefined;
    const { items, nextToken } = page(call, children, keep, `${parentId}|${type}`);
    return withToken({ Children: items }, nextToken);
  },
  ListParents: (call) => {
    const childId = requiredId(call.input, "ChildId");
    const { org } = call;
    const parentId = /^\d{12}$/.test(childId) ? org.member(childId)?.parentId : org.unit(childId)?.parentId;
    if (parentId === undefined)
      throw fail(
        "ChildNotFoundException",
        "We can't find an organizational unit (OU) or AWS account with the ChildId that you specified.",
      );
    const parent = { Id: parentId, Type: org.unit(parentId) ? "ORGANIZATIONAL_UNIT" : "ROOT" };
    const { items, nextToken } = page(call, [parent], () => true, childId);
    return withToken({ Parents: items }, nextToken);
  },
  DescribeOrganizationalUnit: (call) => {
    const unit = call.org.unit(requiredId(call.input, "OrganizationalUnitId"));
    if (!unit)
      throw fail(
        "OrganizationalUnitNotFoundException",
        "We can't find an OU with the OrganizationalUnitId that you specified.",
      );
    return { OrganizationalUnit: wireUnit(unit) };
  },
  DescribeAccount: (call) => {
    const member = call.org.member(requiredId(call.input, "AccountId"));
    if (!member)
      throw fail(
        "AccountNotFoundException",
        "We can't find an AWS account with the AccountId that you specified.",
      );
    return { Account: wireAccount(member) };
  },
};

function errorAnswer(deps: OrgServiceDeps, error: KmsError): ServiceOutcome {
  deps.stats.error(error.code);
  return {
    kind: "answer",
    status: error.status,
    body: JSON.stringify({ __type: error.code, Message: error.message, ...error.fields }),
  };
}

/** Answers one Organizations call. */
export function answerOrganizations(
  deps: OrgServiceDeps,
  headers: IncomingHttpHeaders,
  body: Buffer,
): ServiceOutcome {
  const target = String(headers["x-amz-target"] ?? "");
  const operation = TARGET.exec(target)?.[1] ?? "";
  const handler = Object.hasOwn(OPERATIONS, operation) ? OPERATIONS[operation] : undefined;
  const statsName = handler ? operation : `UnknownOperation:${target}`;
  let auth: ReturnType<typeof authenticate>;
  try {
    auth = authenticate(deps, headers);
  } catch (error) {
    deps.stats.call(statsName, undefined, parseAuthorization(headers.authorization)?.region);
    return errorAnswer(deps, error as KmsError);
  }
  const { caller, region } = auth;
  deps.stats.call(statsName, caller.accountId, region);
  try {
    if (!handler) throw fail("UnknownOperationException", `Unknown operation ${target}`);
    const input = parseJsonObject(body, (message) => fail("SerializationException", message));
    const fault = applyFault(deps, deps.faults.decideKms(operation, caller.accountId), {
      throttled: () =>
        fail("TooManyRequestsException", "You have sent too many requests in too short a period of time.", {
          Type: "TooManyRequestsException",
        }),
      serverError: () =>
        fail(
          "ServiceException",
          "AWS Organizations can't complete your request because of an internal service error.",
        ),
      accessDenied,
    });
    if (fault === "drop") return { kind: "drop" };
    if (fault === "malformed") return { kind: "answer", status: 200, body: '{"Accounts": [{"Id": "1234' };
    const org = deps.organization;
    if (!org || org.member(caller.accountId) === undefined)
      throw fail("AWSOrganizationsNotInUseException", "Your account is not a member of an organization.");
    if (operation !== "DescribeOrganization" && !org.isAdministrator(caller.accountId)) throw accessDenied();
    const answer = handler({ deps, org, caller, operation, input });
    const served = deps.faults.hostile ? hostileOrgAnswer(operation, answer) : answer;
    return { kind: "answer", status: 200, body: JSON.stringify(served) };
  } catch (error) {
    if (error instanceof KmsError) return errorAnswer(deps, error);
    console.error("kms-sandbox: unexpected Organizations error", error);
    return errorAnswer(deps, fail("ServiceException", "An internal error occurred."));
  }
}
