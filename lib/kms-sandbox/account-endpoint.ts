// The AWS Account API in restJson1 (POST /listRegions, POST /getRegionOptStatus, signed for
// "account"): each account's regions and their opt-in status, for itself or, asked by the
// management account or a delegated administrator, for a member.
import type { IncomingHttpHeaders } from "node:http";
import { ALL_REGIONS, REGION_OPT_STATUSES, regionOptStatus, type RegionOptStatus } from "./aws-regions";
import type { Caller } from "./credentials";
import { hostileOrgAnswer } from "./hostile-org";
import { KmsError } from "./kms-errors";
import type { Json } from "./kms-wire";
import { parseAuthorization } from "./sigv4-scope";
import {
  applyFault,
  authenticate,
  pageOf,
  parseJsonObject,
  type OrgServiceDeps,
  type ServiceOutcome,
} from "./json-service";

const PATHS: Record<string, string> = {
  "/listRegions": "ListRegions",
  "/getRegionOptStatus": "GetRegionOptStatus",
};

export function isAccountRequest(url: string | undefined, headers: IncomingHttpHeaders): boolean {
  if (parseAuthorization(headers.authorization)?.service === "account") return true;
  return Object.hasOwn(PATHS, (url ?? "").split("?")[0]!);
}

const fail = (code: string, message: string, status = 400, fields: Record<string, unknown> = {}) =>
  new KmsError(code, message, status, fields);
const validation = (field: string, message: string) =>
  fail("ValidationException", message, 400, {
    reason: "fieldValidationFailed",
    fieldList: [{ name: field, message }],
  });

function targetAccount(deps: OrgServiceDeps, caller: Caller, input: Json): string {
  const accountId = input.AccountId;
  if (accountId === undefined || accountId === null) return caller.accountId;
  if (typeof accountId !== "string" || !/^\d{12}$/.test(accountId))
    throw validation("AccountId", "The AccountId must be a 12-digit account id.");
  const org = deps.organization;
  const management = org?.organization.managementAccountId;
  if (accountId === caller.accountId && caller.accountId === management)
    throw validation(
      "AccountId",
      "The management account can't specify its own AccountId; call the operation without AccountId.",
    );
  if (!org?.isAdministrator(caller.accountId) || accountId === management || !org.member(accountId))
    throw fail(
      "AccessDeniedException",
      `User: ${caller.arn} is not authorized to perform this operation on account ${accountId}.`,
      403,
    );
  return accountId;
}

function statusOf(deps: OrgServiceDeps, accountId: string, region: string): RegionOptStatus {
  const account = deps.index.account(accountId);
  return regionOptStatus(region, account?.enabledOptInRegions, deps.index.estate.regions);
}

function listRegions(deps: OrgServiceDeps, caller: Caller, input: Json): Json {
  const accountId = targetAccount(deps, caller, input);
  const max = input.MaxResults ?? 20;
  if (typeof max !== "number" || !Number.isInteger(max) || max < 1 || max > 50)
    throw validation("MaxResults", "MaxResults must be an integer from 1 to 50.");
  const wanted = input.RegionOptStatusContains;
  if (
    wanted !== undefined &&
    wanted !== null &&
    (!Array.isArray(wanted) || wanted.some((s) => !REGION_OPT_STATUSES.includes(s as RegionOptStatus)))
  )
    throw validation(
      "RegionOptStatusContains",
      `RegionOptStatusContains may hold only ${REGION_OPT_STATUSES.join(", ")}.`,
    );
  const filter = Array.isArray(wanted) && wanted.length > 0 ? (wanted as string[]) : undefined;
  const keep = (region: string) => !filter || filter.includes(statusOf(deps, accountId, region));
  const invalidToken = () => validation("NextToken", "The NextToken is not valid.");
  const scope = `ListRegions|${accountId}|${JSON.stringify(filter ?? [])}`;
  const { items, nextToken } = pageOf(deps, ALL_REGIONS, keep, scope, input.NextToken, max, invalidToken);
  return {
    Regions: items.map((region) => ({
      RegionName: region,
      RegionOptStatus: statusOf(deps, accountId, region),
    })),
    ...(nextToken === undefined ? {} : { NextToken: nextToken }),
  };
}

function getRegionOptStatus(deps: OrgServiceDeps, caller: Caller, input: Json): Json {
  const accountId = targetAccount(deps, caller, input);
  const region = input.RegionName;
  if (typeof region !== "string" || region.length < 1 || region.length > 50)
    throw validation("RegionName", "RegionName must be a string of 1 to 50 characters.");
  if (!ALL_REGIONS.includes(region))
    throw fail("ValidationException", `${region} is not a valid region.`, 400, {
      reason: "invalidRegionOptTarget",
    });
  return { RegionName: region, RegionOptStatus: statusOf(deps, accountId, region) };
}

const OPERATIONS: Record<string, (deps: OrgServiceDeps, caller: Caller, input: Json) => Json> = {
  ListRegions: listRegions,
  GetRegionOptStatus: getRegionOptStatus,
};

function errorAnswer(deps: OrgServiceDeps, error: KmsError): ServiceOutcome {
  deps.stats.error(error.code);
  return {
    kind: "answer",
    status: error.status,
    headers: { "x-amzn-ErrorType": error.code },
    body: JSON.stringify({ message: error.message, ...error.fields }),
  };
}

/** Answers one Account API call. */
export function answerAccount(
  deps: OrgServiceDeps,
  url: string | undefined,
  headers: IncomingHttpHeaders,
  body: Buffer,
): ServiceOutcome {
  const path = (url ?? "").split("?")[0]!;
  const operation = Object.hasOwn(PATHS, path) ? PATHS[path]! : undefined;
  const statsName = operation ?? `UnknownOperation:${path}`;
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
    if (!operation) throw fail("UnknownOperationException", `No operation at ${path}`, 404);
    const input = parseJsonObject(body, (message) => fail("SerializationException", message));
    const fault = applyFault(deps, deps.faults.decideKms(operation, caller.accountId), {
      throttled: () => fail("TooManyRequestsException", "Too many requests.", 429),
      serverError: () => fail("InternalServerException", "An internal error occurred.", 500),
      accessDenied: () =>
        fail(
          "AccessDeniedException",
          `User: ${caller.arn} is not authorized to perform: account:${operation}`,
          403,
        ),
    });
    if (fault === "drop") return { kind: "drop" };
    if (fault === "malformed")
      return { kind: "answer", status: 200, body: '{"Regions": [{"RegionName": "eu' };
    const answer = OPERATIONS[operation]!(deps, caller, input);
    const served = deps.faults.hostile ? hostileOrgAnswer(operation, answer) : answer;
    return { kind: "answer", status: 200, body: JSON.stringify(served) };
  } catch (error) {
    if (error instanceof KmsError) return errorAnswer(deps, error);
    console.error("kms-sandbox: unexpected Account API error", error);
    return errorAnswer(deps, fail("InternalServerException", "An internal error occurred.", 500));
  }
}
