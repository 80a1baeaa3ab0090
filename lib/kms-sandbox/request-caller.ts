import type { IncomingHttpHeaders } from "node:http";
import { identifyCaller, type Caller, type SessionStore } from "./credentials";
import type { EstateIndex } from "./estate-index";
import { parseAuthorization, type SigV4Scope } from "./sigv4-scope";

/** Why a request names no caller; KMS and STS each answer these with their own error codes. */
export type AuthProblem = "missing" | "incomplete" | "expired" | "invalid";

/** Who signed a request (from its SigV4 scope and session token), or what is wrong with it. */
export function requestCaller(
  deps: { index: EstateIndex; sessions: SessionStore },
  headers: IncomingHttpHeaders,
): { caller: Caller; scope: SigV4Scope } | AuthProblem {
  const scope = parseAuthorization(headers.authorization);
  if (scope === undefined) return "missing";
  if (scope === null) return "incomplete";
  const token = headers["x-amz-security-token"];
  const caller = identifyCaller(
    scope.accessKeyId,
    typeof token === "string" ? token : undefined,
    (id) => deps.index.account(id) !== undefined,
    deps.sessions,
  );
  if (caller === "expired") return "expired";
  if (typeof caller === "string") return "invalid";
  // AWS answers a call in an opt-in region the account has not enabled as one with a bad token.
  if (deps.index.isDisabledRegion(caller.accountId, scope.region)) return "invalid";
  return { caller, scope };
}
