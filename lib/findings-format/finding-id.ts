import { hash } from "node:crypto";

/** The insight every finding of these exports belongs to. */
export const INSIGHT_ID = "kms-key-rotation";

/**
 * A finding's id in every export format: a UUID (version 8, "custom") made of the SHA-256 of the
 * insight, the account, the region and the key's ARN. The same key gives the same id in every
 * export, so a SIEM or Security Hub updates its finding instead of adding another.
 */
export function findingUid(key: { accountId: string; region: string; arn: string }): string {
  // One call (no Hash object): the exports make one id per key.
  const hex = hash("sha256", `${INSIGHT_ID}\n${key.accountId}\n${key.region}\n${key.arn}`, "hex");
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The partition of an ARN (`aws`, `aws-cn`, `aws-us-gov`), `aws` when it names none. */
export function arnPartition(arn: string): string {
  const partition = arn.split(":")[1];
  return partition && /^aws(-[a-z-]+)?$/.test(partition) ? partition : "aws";
}
