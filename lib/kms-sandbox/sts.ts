// STS in the query protocol: form-encoded requests, XML answers in the 2011-06-15 namespace.
import type { Caller, SessionStore } from "./credentials";
import type { EstateIndex } from "./estate-index";

const NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";
const VERSION = "2011-06-15";
const MAX_SESSION_SECONDS = 3600;

export class StsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    readonly type: "Sender" | "Receiver" = "Sender",
  ) {
    super(message);
  }
}

export const escapeXml = (text: string) =>
  text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");

function element(name: string, content: string): string {
  return `<${name}>${content}</${name}>`;
}

function envelope(action: string, result: string, requestId: string): string {
  return `<${action}Response xmlns="${NAMESPACE}">${element(`${action}Result`, result)}${element("ResponseMetadata", element("RequestId", requestId))}</${action}Response>`;
}

export function stsErrorXml(error: StsError, requestId: string): string {
  const detail =
    element("Type", error.type) +
    element("Code", escapeXml(error.code)) +
    element("Message", escapeXml(error.message));
  return `<ErrorResponse xmlns="${NAMESPACE}">${element("Error", detail)}${element("RequestId", requestId)}</ErrorResponse>`;
}

const validationError = (message: string) => new StsError("ValidationError", message);

function checkPattern(
  value: string,
  field: string,
  min: number,
  max: number,
  pattern: RegExp,
  patternText: string,
): void {
  if (value.length < min || value.length > max) {
    throw validationError(
      `1 validation error detected: Value '${value}' at '${field}' failed to satisfy constraint: Member must have length between ${min} and ${max}`,
    );
  }
  if (!pattern.test(value)) {
    throw validationError(
      `1 validation error detected: Value '${value}' at '${field}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${patternText}`,
    );
  }
}

function required(params: URLSearchParams, name: string, field: string): string {
  const value = params.get(name);
  if (value === null)
    throw validationError(
      `1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`,
    );
  return value;
}

export interface StsCallContext {
  index: EstateIndex;
  sessions: SessionStore;
  caller: Caller;
  now: Date;
}

/** ISO 8601 without milliseconds, as STS writes it. */
const isoSeconds = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, "Z");

function assumeRole(ctx: StsCallContext, params: URLSearchParams): string {
  const roleArn = required(params, "RoleArn", "roleArn");
  const sessionName = required(params, "RoleSessionName", "roleSessionName");
  if (
    roleArn.length < 20 ||
    roleArn.length > 2048 ||
    !/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/.test(roleArn)
  ) {
    throw validationError(`${roleArn} is invalid`);
  }
  checkPattern(sessionName, "roleSessionName", 2, 64, /^[\w+=,.@-]*$/, "[\\w+=,.@-]*");
  const externalId = params.get("ExternalId");
  if (externalId !== null)
    checkPattern(externalId, "externalId", 2, 1224, /^[\w+=,.@:/-]*$/, "[\\w+=,.@:\\/-]*");
  const durationText = params.get("DurationSeconds");
  const duration = durationText === null ? 3600 : Number(durationText);
  if (!Number.isInteger(duration) || duration < 900 || duration > 43200) {
    throw validationError(
      `1 validation error detected: Value '${durationText}' at 'durationSeconds' failed to satisfy constraint: Member must have value between 900 and 43200`,
    );
  }
  const denied = new StsError(
    "AccessDenied",
    `User: ${ctx.caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
    403,
  );
  const found = ctx.index.roleByArn(roleArn);
  if (!found) throw denied;
  // A suspended (closed) account can no longer be entered.
  if (ctx.index.orgMember(found.account.id)?.status === "SUSPENDED") throw denied;
  if (found.role.externalId !== undefined && externalId !== found.role.externalId) throw denied;
  if (duration > MAX_SESSION_SECONDS) {
    throw validationError("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
  }
  const session = ctx.sessions.issue(found.account.id, found.role, sessionName, duration, ctx.now);
  const credentials =
    element("AccessKeyId", session.accessKeyId) +
    element("SecretAccessKey", escapeXml(session.secretAccessKey)) +
    element("SessionToken", escapeXml(session.sessionToken)) +
    element("Expiration", isoSeconds(session.expiration));
  const user =
    element("Arn", escapeXml(session.assumedRoleArn)) +
    element("AssumedRoleId", escapeXml(session.assumedRoleId));
  return element("Credentials", credentials) + element("AssumedRoleUser", user);
}

function getCallerIdentity(ctx: StsCallContext): string {
  const { caller } = ctx;
  return (
    element("Arn", escapeXml(caller.arn)) +
    element("UserId", escapeXml(caller.userId)) +
    element("Account", caller.accountId)
  );
}

/** The operation name of a request (for stats), or undefined when it names none we serve. */
export function stsOperation(params: URLSearchParams): string | undefined {
  const action = params.get("Action");
  return action === "AssumeRole" || action === "GetCallerIdentity" ? action : undefined;
}

/** Answers one STS call with the XML body of a success; throws StsError otherwise. */
export function answerSts(ctx: StsCallContext, params: URLSearchParams, requestId: string): string {
  const action = params.get("Action") ?? "";
  const version = params.get("Version");
  if (version !== VERSION || stsOperation(params) === undefined) {
    throw new StsError(
      "InvalidAction",
      `Could not find operation ${action} for version ${version ?? "NO_VERSION_SPECIFIED"}`,
    );
  }
  const result = action === "AssumeRole" ? assumeRole(ctx, params) : getCallerIdentity(ctx);
  return envelope(action, result, requestId);
}
