// CloudTrail's LookupEvents in awsJson1_1 (X-Amz-Target: CloudTrail_20131101.LookupEvents, signed
// for "cloudtrail"): the seeded history and the writes the sandbox applied, per account and region
// (from the SigV4 scope), newest first, with AWS's filters, validation and paging.
import { createHmac } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import type { Caller, SessionStore } from "./credentials";
import type { EstateIndex } from "./estate-index";
import type { FaultInjector } from "./faults";
import type { SeededTrail } from "./cloudtrail-history";
import { attributeOf, camelCaseMembers, wireEvent, type TrailEvent } from "./cloudtrail-record";
import { KmsError } from "./kms-errors";
import type { Json } from "./kms-wire";
import { requestCaller } from "./request-caller";
import { parseAuthorization } from "./sigv4-scope";
import type { StatsRecorder } from "./stats";
import type { WriteLog } from "./write-log";

export interface CloudTrailEndpointDeps {
  index: EstateIndex;
  sessions: SessionStore;
  faults: FaultInjector;
  stats: StatsRecorder;
  writes: WriteLog;
  trail: SeededTrail;
  tokenSecret: string;
}

export type CloudTrailOutcome = { kind: "answer"; status: number; body: string } | { kind: "drop" };

const TARGET = /^(?:com\.amazonaws\.cloudtrail\.v20131101\.)?CloudTrail_20131101\.(\w+)$/;
const ATTRIBUTE_KEYS = [
  "EventId",
  "EventName",
  "ReadOnly",
  "Username",
  "ResourceType",
  "ResourceName",
  "EventSource",
  "AccessKeyId",
];

/** Whether a request is a CloudTrail call (by its target, or the service it is signed for). */
export function isCloudTrailRequest(headers: IncomingHttpHeaders): boolean {
  if (TARGET.test(String(headers["x-amz-target"] ?? ""))) return true;
  return parseAuthorization(headers.authorization)?.service === "cloudtrail";
}

const error = (code: string, message: string, status = 400) => new KmsError(code, message, status);

function authenticate(deps: CloudTrailEndpointDeps, headers: IncomingHttpHeaders) {
  const auth = requestCaller(deps, headers);
  if (typeof auth !== "string") return auth;
  throw {
    missing: () => error("MissingAuthenticationTokenException", "Missing Authentication Token"),
    incomplete: () =>
      error("IncompleteSignatureException", "Authorization header requires a SigV4 Credential scope."),
    expired: () => error("ExpiredTokenException", "The security token included in the request is expired"),
    invalid: () =>
      error("UnrecognizedClientException", "The security token included in the request is invalid.", 403),
  }[auth]();
}

/** Events of the seeded history and of the write log, in one account and region. */
function eventsIn(deps: CloudTrailEndpointDeps, accountId: string, region: string): TrailEvent[] {
  const written = deps.writes
    .list()
    .filter((w) => w.accountId === accountId && w.region === region)
    .map((w): TrailEvent => ({
      eventId: w.eventId,
      requestId: w.eventId,
      eventName: w.eventName,
      accountId: w.accountId,
      region: w.region,
      at: w.at,
      principalArn: w.principalArn,
      accessKeyId: w.accessKeyId ?? "",
      sourceIPAddress: w.sourceIPAddress ?? "127.0.0.1",
      userAgent: w.userAgent ?? "",
      keyArn: w.keyArn,
      requestParameters: camelCaseMembers(w.requestParameters),
      responseElements: null,
    }));
  return [...deps.trail.events(accountId, region), ...written];
}

const newestFirst = (a: TrailEvent, b: TrailEvent) =>
  b.at.getTime() - a.at.getTime() || (a.eventId < b.eventId ? 1 : -1);

function readTime(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value))
    throw error("SerializationException", `${name} must be a timestamp`);
  return value * 1000;
}

interface LookupQuery {
  attribute?: { key: string; value: string };
  startMs?: number;
  endMs?: number;
  maxResults: number;
}

function readQuery(input: Json): LookupQuery {
  const attributes = input.LookupAttributes ?? [];
  if (!Array.isArray(attributes)) throw error("SerializationException", "LookupAttributes must be a list");
  if (attributes.length > 1)
    throw error("InvalidLookupAttributesException", "You can only specify one lookup attribute.");
  let attribute: LookupQuery["attribute"];
  if (attributes.length === 1) {
    const { AttributeKey: key, AttributeValue: value } = (attributes[0] ?? {}) as Json;
    if (typeof key !== "string" || !ATTRIBUTE_KEYS.includes(key))
      throw error("InvalidLookupAttributesException", `Invalid attribute key: ${String(key)}`);
    if (typeof value !== "string" || value.length < 1 || value.length > 2000)
      throw error(
        "InvalidLookupAttributesException",
        "The attribute value must be between 1 and 2000 characters.",
      );
    attribute = { key, value };
  }
  const startMs = readTime(input.StartTime, "StartTime");
  const endMs = readTime(input.EndTime, "EndTime");
  if (startMs !== undefined && endMs !== undefined && startMs > endMs)
    throw error("InvalidTimeRangeException", "Start time must be before end time.");
  const max = input.MaxResults ?? 50;
  if (typeof max !== "number" || !Number.isInteger(max) || max < 1 || max > 50)
    throw error("InvalidMaxResultsException", "MaxResults must be between 1 and 50.");
  if (input.EventCategory !== undefined && input.EventCategory !== "insight")
    throw error("InvalidEventCategoryException", "The event category is not valid.");
  return { attribute, startMs, endMs, maxResults: max };
}

// NextToken: base64url of "<scope>|<time ms>|<event id>|<mac>": the last event served, bound to
// the query it belongs to, so paging stays right while new events arrive.
function tokenScope(accountId: string, region: string, input: Json): string {
  return JSON.stringify([accountId, region, input.LookupAttributes ?? [], input.StartTime, input.EndTime]);
}

function mac(secret: string, body: string): string {
  return createHmac("sha256", secret).update(body).digest("base64url").slice(0, 16);
}

function encodeToken(secret: string, scope: string, last: TrailEvent): string {
  const body = `${scope}|${last.at.getTime()}|${last.eventId}`;
  return Buffer.from(`${body}|${mac(secret, body)}`).toString("base64url");
}

function decodeToken(secret: string, scope: string, token: unknown): { atMs: number; eventId: string } {
  const invalid = error("InvalidNextTokenException", "Invalid NextToken.");
  if (typeof token !== "string" || token.length === 0 || token.length > 4096) throw invalid;
  const text = Buffer.from(token, "base64url").toString("utf8");
  const parts = text.split("|");
  if (parts.length < 4) throw invalid;
  const [signature, eventId, atText] = [parts.pop()!, parts.pop()!, parts.pop()!];
  const body = `${parts.join("|")}|${atText}|${eventId}`;
  if (mac(secret, body) !== signature || parts.join("|") !== scope) throw invalid;
  const atMs = Number(atText);
  if (!Number.isInteger(atMs)) throw invalid;
  return { atMs, eventId };
}

function lookupEvents(deps: CloudTrailEndpointDeps, caller: Caller, region: string, input: Json): Json {
  const query = readQuery(input);
  if (input.EventCategory === "insight") return { Events: [] };
  const scope = tokenScope(caller.accountId, region, input);
  const after =
    input.NextToken === undefined || input.NextToken === null
      ? undefined
      : decodeToken(deps.tokenSecret, scope, input.NextToken);
  const { attribute, startMs, endMs } = query;
  const matching = eventsIn(deps, caller.accountId, region)
    .filter((event) => {
      const at = event.at.getTime();
      if (startMs !== undefined && at < startMs) return false;
      if (endMs !== undefined && at > endMs) return false;
      return !attribute || attributeOf(event, attribute.key).includes(attribute.value);
    })
    .sort(newestFirst);
  const start = after
    ? matching.findIndex(
        (e) => e.at.getTime() < after.atMs || (e.at.getTime() === after.atMs && e.eventId < after.eventId),
      )
    : 0;
  const page = start < 0 ? [] : matching.slice(start, start + query.maxResults);
  const more = start >= 0 && start + query.maxResults < matching.length;
  return {
    Events: page.map(wireEvent),
    ...(more ? { NextToken: encodeToken(deps.tokenSecret, scope, page.at(-1)!) } : {}),
  };
}

function answerError(deps: CloudTrailEndpointDeps, failure: KmsError): CloudTrailOutcome {
  deps.stats.error(failure.code);
  return {
    kind: "answer",
    status: failure.status,
    body: JSON.stringify({ __type: failure.code, message: failure.message }),
  };
}

/** Answers one CloudTrail call. Only LookupEvents is served. */
export function answerCloudTrail(
  deps: CloudTrailEndpointDeps,
  headers: IncomingHttpHeaders,
  body: Buffer,
): CloudTrailOutcome {
  const target = String(headers["x-amz-target"] ?? "");
  const operation = TARGET.exec(target)?.[1] ?? "";
  const statsName = operation === "LookupEvents" ? operation : `UnknownOperation:${target}`;
  let auth: ReturnType<typeof authenticate>;
  try {
    auth = authenticate(deps, headers);
  } catch (failure) {
    deps.stats.call(statsName, undefined, parseAuthorization(headers.authorization)?.region);
    return answerError(deps, failure as KmsError);
  }
  const { caller, scope } = auth;
  deps.stats.call(statsName, caller.accountId, scope.region);
  try {
    if (operation !== "LookupEvents") throw error("UnknownOperationException", `Unknown operation ${target}`);
    let input: unknown;
    try {
      input = body.length === 0 ? {} : JSON.parse(body.toString("utf8"));
    } catch {
      throw error("SerializationException", "Start of structure or map found where not expected.");
    }
    if (typeof input !== "object" || input === null || Array.isArray(input))
      throw error("SerializationException", "The request body must be a JSON object.");
    const fault = deps.faults.decideKms(operation, caller.accountId);
    switch (fault.kind) {
      case "drop":
        deps.stats.fault("dropped");
        return { kind: "drop" };
      case "throttle":
        deps.stats.fault("throttled");
        throw error("ThrottlingException", "Rate exceeded");
      case "server-error":
        deps.stats.fault("serverErrors");
        throw error("InternalFailure", "An internal error occurred. Please try again.", 500);
      case "dependency-timeout":
        deps.stats.fault("dependencyTimeouts");
        throw error("ServiceUnavailable", "The service is unavailable. Please try again.", 503);
      case "access-denied":
        deps.stats.fault("accessDenied");
        throw error(
          "AccessDeniedException",
          `User: ${caller.arn} is not authorized to perform: cloudtrail:LookupEvents because no identity-based policy allows the cloudtrail:LookupEvents action`,
        );
      case "malformed":
        deps.stats.fault("malformed");
        return { kind: "answer", status: 200, body: '{"Events": [{"EventId": "1234' };
    }
    return {
      kind: "answer",
      status: 200,
      body: JSON.stringify(lookupEvents(deps, caller, scope.region, input as Json)),
    };
  } catch (failure) {
    if (failure instanceof KmsError) return answerError(deps, failure);
    console.error("kms-sandbox: unexpected CloudTrail error", failure);
    return answerError(deps, error("InternalFailure", "An internal error occurred.", 500));
  }
}
