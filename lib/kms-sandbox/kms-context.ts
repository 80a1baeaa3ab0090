import type { SandboxKey } from "./estate-types";
import type { EstateIndex } from "./estate-index";
import type { EnvelopeCrypto } from "./envelope-crypto";
import type { MarkerCodec } from "./paging";
import { accessDenied, type KmsError } from "./kms-errors";
import type { Json } from "./kms-wire";

/** What a KMS operation handler knows about the call it answers. */
export interface KmsCallContext {
  index: EstateIndex;
  accountId: string;
  region: string;
  callerArn: string;
  operation: string;
  markers: MarkerCodec;
  crypto: EnvelopeCrypto;
  /**
   * GetKeyRotationStatus on keys that cannot rotate automatically (asymmetric, HMAC, imported,
   * custom key store): "error" answers UnsupportedOperationException, "disabled" answers
   * KeyRotationEnabled false (AWS documents both behaviours at different times).
   */
  unsupportedRotationStatus: "error" | "disabled";
  now: Date;
}

export type KmsHandler = (ctx: KmsCallContext, input: Json) => Json;

export function resolve(ctx: KmsCallContext, keyId: unknown, allowAlias: boolean): SandboxKey {
  return ctx.index.resolveKey(keyId, {
    accountId: ctx.accountId,
    region: ctx.region,
    callerArn: ctx.callerArn,
    operation: ctx.operation,
    allowAlias,
  });
}

/** AccessDeniedException for this call on this key, saying `why` (which policy refuses it). */
export function keyAccessDenied(ctx: KmsCallContext, key: SandboxKey, why: string): KmsError {
  return accessDenied(ctx.callerArn, ctx.operation, key.metadata.Arn, why);
}
