// "Hostile" answers: still valid JSON in the KMS shape, but with what a robust client must survive:
// enum values it has never seen, optional fields left out, unknown fields, huge and odd strings.
import type { Json } from "./kms-wire";

/** About one key in four (by key id) gets unknown enum values; the choice is stable. */
export function isHostileTarget(keyId: string): boolean {
  let sum = 0;
  for (let i = 0; i < keyId.length; i++) sum = (sum + keyId.charCodeAt(i)) % 1024;
  return sum % 4 === 0;
}

export const HOSTILE_TAGS = [
  { TagKey: "hostile-huge", TagValue: "x".repeat(100_000) },
  { TagKey: "hostile-bidi", TagValue: "\u202Egnp.exe\u202C invoice" },
  { TagKey: "hostile-zero-width", TagValue: "a\u200Bb\u200Dc\uFEFF" },
  { TagKey: "hostile-newlines", TagValue: "line one\r\nline two\ttabbed" },
  { TagKey: "hostile-combining", TagValue: "Z\u0351\u0360\u0342a\u0334\u0353l\u0337go" },
  { TagKey: "hostile-html", TagValue: "<script>alert(1)</script>" },
  { TagKey: "hostile-emoji-zwj", TagValue: "👩‍👩‍👧‍👦🏳️‍🌈" },
];

export const UNKNOWN_MEMBER = { SandboxFutureMember: { nested: [1, "two", null], flag: true } };

function hostileMetadata(metadata: Json): Json {
  const out: Json = { ...metadata, ...UNKNOWN_MEMBER };
  delete out.Description;
  delete out.EncryptionAlgorithms;
  delete out.CustomerMasterKeySpec;
  if (isHostileTarget(String(metadata.KeyId))) {
    out.KeyState = "FutureState";
    out.KeyUsage = "FUTURE_USAGE";
    out.Origin = "FUTURE_ORIGIN";
  }
  return out;
}

export function hostileAnswer(operation: string, answer: Json): Json {
  switch (operation) {
    case "ListKeys":
      return {
        ...answer,
        ...UNKNOWN_MEMBER,
        Keys: (answer.Keys as Json[]).map((k) => ({ ...k, ...UNKNOWN_MEMBER })),
      };
    case "DescribeKey":
      return { KeyMetadata: hostileMetadata(answer.KeyMetadata as Json) };
    case "GetKeyRotationStatus": {
      const out: Json = { ...answer, ...UNKNOWN_MEMBER };
      delete out.NextRotationDate;
      delete out.RotationPeriodInDays;
      delete out.KeyId;
      return out;
    }
    case "ListResourceTags":
      return { ...answer, Tags: [...(answer.Tags as Json[]), ...(answer.NextMarker ? [] : HOSTILE_TAGS)] };
    case "ListAliases":
      return {
        ...answer,
        Aliases: (answer.Aliases as Json[]).map((alias) => {
          const out: Json = { ...alias, ...UNKNOWN_MEMBER };
          delete out.CreationDate;
          delete out.LastUpdatedDate;
          return out;
        }),
      };
    case "ListKeyRotations":
      return {
        ...answer,
        Rotations: (answer.Rotations as Json[]).map((r) => ({
          ...r,
          RotationType: "FUTURE_ROTATION_TYPE",
          RotationDate: undefined,
        })),
      };
    default:
      return { ...answer, ...UNKNOWN_MEMBER };
  }
}
