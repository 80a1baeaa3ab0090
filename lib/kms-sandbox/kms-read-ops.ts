import type { SandboxKey } from "./estate-types";
import { invalidState, unsupported } from "./kms-errors";
import { keyAccessDenied, resolve, type KmsCallContext, type KmsHandler } from "./kms-context";
import { LIMITS, pageFields, paginate } from "./paging";
import { epochSeconds, wireAlias, wireKeyMetadata, wireRotation, type Json } from "./kms-wire";

const scope = (ctx: KmsCallContext, ...parts: string[]) =>
  [ctx.operation, ctx.accountId, ctx.region, ...parts].join(":");

export const listKeys: KmsHandler = (ctx, input) => {
  const keys = ctx.index.region(ctx.accountId, ctx.region).keys;
  const page = paginate(keys, input, LIMITS.ListKeys, scope(ctx), ctx.markers);
  return {
    Keys: page.items.map((k) => ({ KeyId: k.metadata.KeyId, KeyArn: k.metadata.Arn })),
    ...pageFields(page),
  };
};

export const listAliases: KmsHandler = (ctx, input) => {
  const region = ctx.index.region(ctx.accountId, ctx.region);
  let aliases = region.aliases;
  let keyScope = "";
  if (input.KeyId !== undefined) {
    const key = resolve(ctx, input.KeyId, false);
    aliases = region.aliasesByKeyId.get(key.metadata.KeyId) ?? [];
    keyScope = key.metadata.KeyId;
  }
  const page = paginate(aliases, input, LIMITS.ListAliases, scope(ctx, keyScope), ctx.markers);
  return { Aliases: page.items.map(wireAlias), ...pageFields(page) };
};

export const describeKey: KmsHandler = (ctx, input) => ({
  KeyMetadata: wireKeyMetadata(resolve(ctx, input.KeyId, true)),
});

function cannotRotateReason(key: SandboxKey): string | undefined {
  const m = key.metadata;
  if (m.KeySpec !== "SYMMETRIC_DEFAULT") {
    return "You cannot perform this operation on a non-symmetric key or a key with non-ENCRYPT_DECRYPT key usage.";
  }
  if (m.Origin !== "AWS_KMS") return `${m.Arn} origin is ${m.Origin} which is not valid for this operation.`;
  return undefined;
}

export const getKeyRotationStatus: KmsHandler = (ctx, input) => {
  const key = resolve(ctx, input.KeyId, false);
  const m = key.metadata;
  if (key.rotationStatusError === "AccessDeniedException") {
    throw keyAccessDenied(ctx, key, "with an explicit deny in a resource-based policy");
  }
  if (m.KeyState === "Creating") throw invalidState(`${m.Arn} is pending creation.`);
  const notRotatable = cannotRotateReason(key);
  if (notRotatable !== undefined) {
    if (ctx.unsupportedRotationStatus === "error") throw unsupported(notRotatable);
    return { KeyRotationEnabled: false, KeyId: m.Arn };
  }
  if (m.KeyState === "PendingDeletion" || m.KeyState === "PendingReplicaDeletion") {
    return { KeyRotationEnabled: false, KeyId: m.Arn };
  }
  // Replicas mirror the rotation of their primary.
  const rotation = (ctx.index.primaryOf(key) ?? key).rotation;
  if (!rotation.enabled) return { KeyRotationEnabled: false, KeyId: m.Arn };
  const answer: Json = { KeyRotationEnabled: true, KeyId: m.Arn };
  if (rotation.periodInDays !== undefined) answer.RotationPeriodInDays = rotation.periodInDays;
  if (rotation.nextRotationDate) answer.NextRotationDate = epochSeconds(rotation.nextRotationDate);
  if (rotation.onDemandRotationStartDate)
    answer.OnDemandRotationStartDate = epochSeconds(rotation.onDemandRotationStartDate);
  return answer;
};

export const listResourceTags: KmsHandler = (ctx, input) => {
  const key = resolve(ctx, input.KeyId, false);
  const page = paginate(
    key.tags,
    input,
    LIMITS.ListResourceTags,
    scope(ctx, key.metadata.KeyId),
    ctx.markers,
  );
  return { Tags: page.items.map((t) => ({ TagKey: t.TagKey, TagValue: t.TagValue })), ...pageFields(page) };
};

export const listKeyRotations: KmsHandler = (ctx, input) => {
  const key = resolve(ctx, input.KeyId, false);
  const m = key.metadata;
  if (m.KeySpec !== "SYMMETRIC_DEFAULT")
    throw unsupported(`${m.Arn} key spec ${m.KeySpec} is not valid for this operation.`);
  if (m.Origin === "AWS_CLOUDHSM" || m.Origin === "EXTERNAL_KEY_STORE") {
    throw unsupported(`${m.Arn} origin is ${m.Origin} which is not valid for this operation.`);
  }
  const rotations = (ctx.index.primaryOf(key) ?? key).rotations;
  const page = paginate(rotations, input, LIMITS.ListKeyRotations, scope(ctx, m.KeyId), ctx.markers);
  return { Rotations: page.items.map((r) => wireRotation(m.KeyId, r)), ...pageFields(page) };
};
