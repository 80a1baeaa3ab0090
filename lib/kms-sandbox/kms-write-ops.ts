import type { KeyRotationSetting, SandboxKey } from "./estate-types";
import { addDays } from "./key-factory";
import { KmsError, invalidState, serialization, unsupported, validation } from "./kms-errors";
import { keyAccessDenied, resolve, type KmsCallContext, type KmsHandler } from "./kms-context";

function rotatableKey(ctx: KmsCallContext, keyId: unknown): SandboxKey {
  const key = resolve(ctx, keyId, false);
  const m = key.metadata;
  if (m.KeyManager === "AWS")
    throw keyAccessDenied(ctx, key, "because AWS manages the rotation of AWS managed keys");
  if (m.KeySpec !== "SYMMETRIC_DEFAULT") {
    throw unsupported(
      "You cannot perform this operation on a non-symmetric key or a key with non-ENCRYPT_DECRYPT key usage.",
    );
  }
  if (m.Origin !== "AWS_KMS")
    throw unsupported(`${m.Arn} origin is ${m.Origin} which is not valid for this operation.`);
  if (m.MultiRegionConfiguration?.MultiRegionKeyType === "REPLICA") {
    throw unsupported(`${m.Arn} is a multi-Region replica key. Set the rotation of its primary key instead.`);
  }
  if (m.KeyState === "Disabled") throw new KmsError("DisabledException", `${m.Arn} is disabled.`);
  if (m.KeyState !== "Enabled") throw invalidState(`${m.Arn} is ${m.KeyState}.`);
  return key;
}

function readPeriod(value: unknown): number {
  if (value === undefined || value === null) return 365;
  if (typeof value !== "number" || !Number.isInteger(value))
    throw serialization("RotationPeriodInDays must be an integer");
  if (value < 90) {
    throw validation(
      `1 validation error detected: Value '${value}' at 'rotationPeriodInDays' failed to satisfy constraint: Member must have value greater than or equal to 90`,
    );
  }
  if (value > 2560) {
    throw validation(
      `1 validation error detected: Value '${value}' at 'rotationPeriodInDays' failed to satisfy constraint: Member must have value less than or equal to 2560`,
    );
  }
  return value;
}

/** Sets the rotation of a key and mirrors it to the key's multi-Region replicas. */
function applyRotation(ctx: KmsCallContext, key: SandboxKey, rotation: KeyRotationSetting): void {
  key.rotation = rotation;
  for (const replica of ctx.index.replicasOf(key)) replica.rotation = structuredClone(rotation);
}

export const enableKeyRotation: KmsHandler = (ctx, input) => {
  const period = readPeriod(input.RotationPeriodInDays);
  const key = rotatableKey(ctx, input.KeyId);
  applyRotation(ctx, key, {
    enabled: true,
    periodInDays: period,
    nextRotationDate: addDays(ctx.now, period),
  });
  return {};
};

export const disableKeyRotation: KmsHandler = (ctx, input) => {
  const key = rotatableKey(ctx, input.KeyId);
  applyRotation(ctx, key, { enabled: false });
  return {};
};
