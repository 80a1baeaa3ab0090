import type { IncomingHttpHeaders } from "node:http";
import type { Caller, SessionStore } from "./credentials";
import type { EstateIndex } from "./estate-index";
import { requestCaller } from "./request-caller";
import { parseAuthorization } from "./sigv4-scope";
import type { StatsRecorder } from "./stats";
import { StsError, answerSts, stsErrorXml, stsOperation } from "./sts";

export interface StsEndpointDeps {
  index: EstateIndex;
  sessions: SessionStore;
  stats: StatsRecorder;
}

function authenticate(deps: StsEndpointDeps, headers: IncomingHttpHeaders): Caller {
  const auth = requestCaller(deps, headers);
  if (typeof auth !== "string") return auth.caller;
  throw {
    missing: () => new StsError("MissingAuthenticationToken", "Request is missing Authentication Token", 403),
    incomplete: () =>
      new StsError("IncompleteSignature", "Authorization header requires a SigV4 Credential scope."),
    expired: () => new StsError("ExpiredToken", "The security token included in the request is expired"),
    invalid: () =>
      new StsError("InvalidClientTokenId", "The security token included in the request is invalid.", 403),
  }[auth]();
}

/** Answers one STS query-protocol call with an XML body. */
export function answerStsRequest(
  deps: StsEndpointDeps,
  headers: IncomingHttpHeaders,
  body: Buffer,
  requestId: string,
) {
  const params = new URLSearchParams(body.toString("utf8"));
  const operation = stsOperation(params) ?? `UnknownAction:${params.get("Action") ?? ""}`;
  const region = parseAuthorization(headers.authorization)?.region;
  let caller: Caller | undefined;
  try {
    caller = authenticate(deps, headers);
    deps.stats.call(operation, caller.accountId, region);
    return {
      status: 200,
      body: answerSts(
        { index: deps.index, sessions: deps.sessions, caller, now: new Date() },
        params,
        requestId,
      ),
    };
  } catch (error) {
    if (!(error instanceof StsError)) throw error;
    if (!caller) deps.stats.call(operation, undefined, region);
    deps.stats.error(error.code);
    return { status: error.status, body: stsErrorXml(error, requestId) };
  }
}
