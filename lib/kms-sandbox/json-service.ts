// What the Organizations and Account endpoints share: who calls, the JSON body, the random faults.
import type { IncomingHttpHeaders } from "node:http";
import type { Caller, SessionStore } from "./credentials";
import type { EstateIndex } from "./estate-index";
import type { FaultDecision, FaultInjector } from "./faults";
import { KmsError } from "./kms-errors";
import type { Json } from "./kms-wire";
import { MarkerCodec } from "./paging";
import { requestCaller } from "./request-caller";
import type { StatsRecorder } from "./stats";
import type { OrganizationState } from "./organization-state";

export interface OrgServiceDeps {
  index: EstateIndex;
  sessions: SessionStore;
  faults: FaultInjector;
  stats: StatsRecorder;
  /** Undefined when the estate has no organization. */
  organization?: OrganizationState;
  tokens: MarkerCodec;
}

export type ServiceOutcome =
  { kind: "answer"; status: number; body: string; headers?: Record<string, string> } | { kind: "drop" };

export function authenticate(
  deps: OrgServiceDeps,
  headers: IncomingHttpHeaders,
): { caller: Caller; region: string } {
  const auth = requestCaller(deps, headers);
  if (typeof auth !== "string") return { caller: auth.caller, region: auth.scope.region };
  throw {
    missing: () => new KmsError("MissingAuthenticationTokenException", "Missing Authentication Token", 403),
    incomplete: () =>
      new KmsError("IncompleteSignatureException", "Authorization header requires a SigV4 Credential scope."),
    expired: () =>
      new KmsError("ExpiredTokenException", "The security token included in the request is expired", 403),
    invalid: () =>
      new KmsError(
        "UnrecognizedClientException",
        "The security token included in the request is invalid.",
        403,
      ),
  }[auth]();
}

/** The body as a JSON object; `invalid` builds the service's error for anything else. */
export function parseJsonObject(body: Buffer, invalid: (message: string) => KmsError): Json {
  if (body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch {
    throw invalid("Start of structure or map found where not expected.");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw invalid("The request body must be a JSON object.");
  return parsed as Json;
}

/** The service's own errors for the injected faults (throttle, server error, ...). */
export interface FaultErrors {
  throttled: () => KmsError;
  serverError: () => KmsError;
  accessDenied: () => KmsError;
}

/** Throws the fault's error, returns "drop" or "malformed", or nothing when the call goes through. */
export function applyFault(
  deps: OrgServiceDeps,
  decision: FaultDecision,
  errors: FaultErrors,
): "drop" | "malformed" | undefined {
  switch (decision.kind) {
    case "none":
      return undefined;
    case "drop":
      deps.stats.fault("dropped");
      return "drop";
    case "throttle":
      deps.stats.fault("throttled");
      throw errors.throttled();
    case "server-error":
      deps.stats.fault("serverErrors");
      throw errors.serverError();
    case "dependency-timeout":
      deps.stats.fault("dependencyTimeouts");
      throw errors.serverError();
    case "access-denied":
      deps.stats.fault("accessDenied");
      throw errors.accessDenied();
    case "malformed":
      deps.stats.fault("malformed");
      return "malformed";
  }
}

export interface ListPage<T> {
  items: T[];
  nextToken?: string;
}

/**
 * One page of `all` from the offset in `token`, skipping items `keep` refuses (members that left):
 * offsets index the fixed list, so a member leaving mid-listing shifts nothing.
 */
export function pageOf<T>(
  deps: OrgServiceDeps,
  all: readonly T[],
  keep: (item: T) => boolean,
  scope: string,
  token: unknown,
  max: number,
  invalidToken: () => KmsError,
): ListPage<T> {
  let start = 0;
  if (token !== undefined && token !== null) {
    try {
      start = deps.tokens.decode(scope, token);
    } catch {
      throw invalidToken();
    }
    if (start > all.length) throw invalidToken();
  }
  const items: T[] = [];
  let i = start;
  for (; i < all.length && items.length < max; i++) if (keep(all[i]!)) items.push(all[i]!);
  const more = all.slice(i).some(keep);
  return { items, ...(more ? { nextToken: deps.tokens.encode(scope, i) } : {}) };
}
