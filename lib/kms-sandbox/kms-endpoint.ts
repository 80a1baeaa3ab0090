import type { IncomingHttpHeaders } from "node:http";
import type { Caller, SessionStore } from "./credentials";
import type { EnvelopeCrypto } from "./envelope-crypto";
import type { EstateIndex } from "./estate-index";
import type { FaultInjector } from "./faults";
import { hostileAnswer } from "./hostile";
import { keyAccessDenied, resolve, type KmsCallContext, type KmsHandler } from "./kms-context";
import type { SandboxKey } from "./estate-types";
import { decrypt, encrypt, generateDataKey } from "./kms-crypto-ops";
import {
  KmsError,
  accessDenied,
  dependencyTimeout,
  internalError,
  serialization,
  throttled,
} from "./kms-errors";
import {
  describeKey,
  getKeyRotationStatus,
  listAliases,
  listKeyRotations,
  listKeys,
  listResourceTags,
} from "./kms-read-ops";
import { disableKeyRotation, enableKeyRotation } from "./kms-write-ops";
import { LIMITS, readLimit, type MarkerCodec } from "./paging";
import { requestCaller } from "./request-caller";
import { parseAuthorization, type SigV4Scope } from "./sigv4-scope";
import type { StatsRecorder } from "./stats";
import type { Json } from "./kms-wire";
import type { WriteLog } from "./write-log";

export const KMS_OPERATIONS: Record<string, KmsHandler> = {
  ListKeys: listKeys,
  ListAliases: listAliases,
  DescribeKey: describeKey,
  GetKeyRotationStatus: getKeyRotationStatus,
  ListResourceTags: listResourceTags,
  ListKeyRotations: listKeyRotations,
  EnableKeyRotation: enableKeyRotation,
  DisableKeyRotation: disableKeyRotation,
  GenerateDataKey: generateDataKey,
  Encrypt: encrypt,
  Decrypt: decrypt,
};

/** Operations that change a key: recorded in the write log once applied. */
const WRITE_OPERATIONS = { EnableKeyRotation: true, DisableKeyRotation: true } as const;

export interface KmsEndpointDeps {
  index: EstateIndex;
  sessions: SessionStore;
  markers: MarkerCodec;
  crypto: EnvelopeCrypto;
  faults: FaultInjector;
  stats: StatsRecorder;
  writes: WriteLog;
  unsupportedRotationStatus: "error" | "disabled";
}

export type KmsOutcome = { kind: "answer"; status: number; body: string } | { kind: "drop" };

const TARGET_PREFIX = "TrentService.";

function errorOutcome(deps: KmsEndpointDeps, error: KmsError): KmsOutcome {
  deps.stats.error(error.code);
  return {
    kind: "answer",
    status: error.status,
    body: JSON.stringify({ __type: error.code, message: error.message }),
  };
}

function parseBody(body: Buffer): Json {
  if (body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch {
    throw serialization("Start of structure or map found where not expected.");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw serialization("The request body must be a JSON object.");
  return parsed as Json;
}

function authenticate(
  deps: KmsEndpointDeps,
  headers: IncomingHttpHeaders,
): { caller: Caller; scope: SigV4Scope } {
  const auth = requestCaller(deps, headers);
  if (typeof auth !== "string") return auth;
  throw {
    missing: () => new KmsError("MissingAuthenticationTokenException", "Missing Authentication Token"),
    incomplete: () =>
      new KmsError("IncompleteSignatureException", "Authorization header requires a SigV4 Credential scope."),
    expired: () =>
      new KmsError("ExpiredTokenException", "The security token included in the request is expired"),
    invalid: () =>
      new KmsError("UnrecognizedClientException", "The security token included in the request is invalid."),
  }[auth]();
}

/** The key a call names, or undefined when it names none or one that does not resolve. */
function namedKey(ctx: KmsCallContext, keyId: unknown): SandboxKey | undefined {
  if (keyId === undefined) return undefined;
  try {
    return resolve(ctx, keyId, true);
  } catch {
    return undefined;
  }
}

/**
 * IAM as the sandbox plays it: only the remediation role and the static account user may write,
 * and the `accessDenied.keys` fault refuses every call naming one of its keys (a key policy).
 */
function refuseByPolicy(deps: KmsEndpointDeps, ctx: KmsCallContext, caller: Caller, input: Json): void {
  const key = namedKey(ctx, input.KeyId);
  const readOnlySession = caller.kind === "assumed-role" && caller.session.role.canWrite !== true;
  if (readOnlySession && Object.hasOwn(WRITE_OPERATIONS, ctx.operation)) {
    const resource =
      key?.metadata.Arn ?? `arn:aws:kms:${ctx.region}:${ctx.accountId}:key/${String(input.KeyId)}`;
    throw accessDenied(caller.arn, ctx.operation, resource);
  }
  if (key && deps.faults.deniesKey(ctx.operation, ctx.accountId, key.metadata)) {
    deps.stats.fault("accessDenied");
    throw keyAccessDenied(
      ctx,
      key,
      `because no resource-based policy allows the kms:${ctx.operation} action`,
    );
  }
}

/** Answers one awsJson1_1 call (`X-Amz-Target: TrentService.<Operation>`). */
export function answerKms(
  deps: KmsEndpointDeps,
  headers: IncomingHttpHeaders,
  body: Buffer,
  sourceIPAddress = "127.0.0.1",
): KmsOutcome {
  const target = String(headers["x-amz-target"] ?? "");
  const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : "";
  const handler = Object.hasOwn(KMS_OPERATIONS, operation) ? KMS_OPERATIONS[operation] : undefined;
  const statsName = handler ? operation : `UnknownOperation:${target}`;
  let auth: { caller: Caller; scope: SigV4Scope };
  try {
    auth = authenticate(deps, headers);
  } catch (error) {
    deps.stats.call(statsName, undefined, parseAuthorization(headers.authorization)?.region);
    return errorOutcome(deps, error as KmsError);
  }
  const { caller, scope } = auth;
  deps.stats.call(statsName, caller.accountId, scope.region);
  try {
    if (!handler) throw new KmsError("UnknownOperationException", `Unknown operation ${target}`);
    const contentType = String(headers["content-type"] ?? "");
    if (!contentType.startsWith("application/x-amz-json-1.1")) {
      throw serialization(
        `Content-Type must be application/x-amz-json-1.1, not ${JSON.stringify(contentType)}`,
      );
    }
    const input = parseBody(body);
    // Like the service, check the input's shape (Limit ranges) before looking at any key.
    if (Object.hasOwn(LIMITS, operation)) readLimit(input, LIMITS[operation as keyof typeof LIMITS]);

    const fault = deps.faults.decideKms(operation, caller.accountId);
    switch (fault.kind) {
      case "drop":
        deps.stats.fault("dropped");
        return { kind: "drop" };
      case "throttle":
        deps.stats.fault("throttled");
        throw throttled(operation);
      case "server-error":
        deps.stats.fault("serverErrors");
        throw internalError();
      case "dependency-timeout":
        deps.stats.fault("dependencyTimeouts");
        throw dependencyTimeout();
      case "access-denied":
        deps.stats.fault("accessDenied");
        throw accessDenied(caller.arn, operation, `arn:aws:kms:${scope.region}:${caller.accountId}:key/*`);
      case "malformed":
        deps.stats.fault("malformed");
        return { kind: "answer", status: 200, body: '{"Truncated": false, "Items": [{"KeyId": "1234' };
    }

    const ctx: KmsCallContext = {
      index: deps.index,
      accountId: caller.accountId,
      region: scope.region,
      callerArn: caller.arn,
      operation,
      markers: deps.markers,
      crypto: deps.crypto,
      unsupportedRotationStatus: deps.unsupportedRotationStatus,
      now: new Date(),
    };
    refuseByPolicy(deps, ctx, caller, input);
    const answer = handler(ctx, input);
    if (Object.hasOwn(WRITE_OPERATIONS, operation)) {
      deps.writes.record({
        eventName: operation,
        accountId: caller.accountId,
        region: scope.region,
        keyArn: resolve(ctx, input.KeyId, false).metadata.Arn,
        principalArn: caller.arn,
        at: ctx.now,
        requestParameters: input,
        accessKeyId: scope.accessKeyId,
        sourceIPAddress,
        userAgent: String(headers["user-agent"] ?? ""),
      });
    }
    const served = deps.faults.hostile ? hostileAnswer(operation, answer) : answer;
    return { kind: "answer", status: 200, body: JSON.stringify(served) };
  } catch (error) {
    if (error instanceof KmsError) return errorOutcome(deps, error);
    console.error("kms-sandbox: unexpected error", error);
    return errorOutcome(deps, internalError());
  }
}
