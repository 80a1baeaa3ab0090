// What fixes a key's finding, as AWS CLI commands to copy and steps in words. Pure: the key page
// shows it, and the tests cover every reason.

export interface RemediationKey {
  reason: string;
  keyId: string;
  region: string;
  /** The policy's longest allowed rotation period (the settings' policy.maxRotationDays). */
  maxRotationDays: number;
  /** A multi-Region replica's primary: rotation is set on the primary only. */
  primary?: { arn: string; region: string | null } | null;
}

export interface Remediation {
  /** What to do, in one sentence. */
  summary: string;
  /** AWS CLI commands, in order. */
  commands: string[];
  /** Further steps in words, in order. */
  steps: string[];
}

// AWS region names (us-east-1, us-gov-west-1, eu-central-2, ...).
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/** One shell word: left as it is when safe, else in single quotes (the values come from AWS). */
export function shellArg(value: string): string {
  return /^[A-Za-z0-9._:/=+@-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}

/** The key in the AWS console; null for a region name that is not one (never a link elsewhere). */
export function awsConsoleKeyUrl(region: string, keyId: string): string | null {
  if (!REGION.test(region)) return null;
  return `https://${region}.console.aws.amazon.com/kms/home?region=${region}#/kms/keys/${encodeURIComponent(keyId)}`;
}

const cli = (operation: string, target: { keyId: string; region: string }, ...more: string[]) =>
  [
    "aws kms",
    operation,
    "--key-id",
    shellArg(target.keyId),
    ...more,
    "--region",
    shellArg(target.region),
  ].join(" ");

/**
 * The one command that turns rotation on with a period: the key page and the commands script
 * (lib/remediation/commands.ts) both write it here, always naming the period (by default the
 * policy's maximum, as a fix plan sets it).
 */
export function enableRotationCommand(target: { keyId: string; region: string }, periodDays: number): string {
  return cli("enable-key-rotation", target, "--rotation-period-in-days", String(periodDays));
}

/** Null when the key passes or the check does not apply: nothing to fix. */
export function remediationFor(key: RemediationKey): Remediation | null {
  const self = { keyId: key.keyId, region: key.region };
  // Rotation of a replica is its primary's; elsewhere, the key itself.
  const primaryRegion = key.primary ? (key.primary.region ?? key.primary.arn.split(":")[3] ?? "") : "";
  const rotationTarget =
    key.primary && primaryRegion ? { keyId: key.primary.arn, region: primaryRegion } : self;
  const onPrimary =
    rotationTarget === self
      ? []
      : [
          "This key is a multi-Region replica: rotation is set on its primary key, which the commands name; the replicas follow.",
        ];
  const max = key.maxRotationDays;
  const enable = enableRotationCommand(rotationTarget, max);

  switch (key.reason) {
    case "ROTATION_DISABLED":
      return {
        summary: "Turn on automatic rotation.",
        commands: [enable],
        steps: onPrimary,
      };
    case "ROTATION_PERIOD_EXCEEDS_POLICY":
      return {
        summary: `Shorten the rotation period to ${max} days or less.`,
        commands: [enable],
        steps: onPrimary,
      };
    case "DISABLED_KEY_ROTATION_OFF":
      return {
        summary: "Turn on rotation when the key is enabled again, or delete the key if nothing needs it.",
        commands: [cli("enable-key", self), enable],
        steps: [
          "KMS turns on rotation only for an enabled key: enable it first (the first command), then turn on rotation.",
          `If nothing uses the key any more, schedule its deletion instead: ${cli("schedule-key-deletion", self, "--pending-window-in-days", "30")}.`,
          ...onPrimary,
        ],
      };
    case "IMPORTED_MATERIAL_STALE":
      return {
        summary: "Import new key material and rotate to it.",
        commands: [],
        steps: [
          `Download a wrapping key and an import token for this key: ${cli("get-parameters-for-import", self, "--wrapping-algorithm", "RSA_AES_KEY_WRAP_SHA_256", "--wrapping-key-spec", "RSA_4096")}.`,
          "Generate new 256-bit symmetric key material in your own key infrastructure and wrap it with that public key.",
          `Import it as new material: ${cli("import-key-material", self, "--import-type", "NEW_KEY_MATERIAL", "--encrypted-key-material", "fileb://EncryptedKeyMaterial.bin", "--import-token", "fileb://ImportToken.bin", "--expiration-model", "KEY_MATERIAL_DOES_NOT_EXPIRE")}.`,
          `Rotate the key to the new material: ${cli("rotate-key-on-demand", self)}.`,
          "Keep the old material available to KMS until nothing encrypted under it remains.",
        ],
      };
    case "ROTATION_STATUS_UNKNOWN":
      return {
        summary: "Let the console read the key's rotation, then scan again.",
        commands: [],
        steps: [
          "Allow the role the console uses in this account kms:GetKeyRotationStatus and kms:ListKeyRotations on this key (in its key policy or the role's IAM policy).",
          `To see the rotation yourself: ${cli("get-key-rotation-status", self)}.`,
          "Then scan again: the finding follows what KMS answers.",
        ],
      };
    default:
      return null;
  }
}
