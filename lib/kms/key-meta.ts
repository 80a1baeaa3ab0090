import type { KeyMetadata } from "@aws-sdk/client-kms";

// The metadata we keep of a key, from DescribeKey. AWS may add enum values at any time and a
// KMS-compatible endpoint may leave fields out: every field is taken as a string or null, never
// trusted to be one of the values we know.
export interface KeyMeta {
  keyId: string;
  arn: string;
  description: string;
  keyState: string;
  keyManager: string;
  keySpec: string;
  keyUsage: string | null;
  origin: string;
  enabled: boolean;
  creationDate: Date | null;
  deletionDate: Date | null;
  multiRegion: boolean;
  multiRegionType: string | null;
  primaryKeyArn: string | null;
  primaryRegion: string | null;
}

const str = (v: unknown): string | null => (typeof v === "string" && v.length ? v : null);
const date = (v: unknown): Date | null => (v instanceof Date && !Number.isNaN(v.getTime()) ? v : null);

export function toKeyMeta(m: KeyMetadata, listed: { keyId: string; arn: string }): KeyMeta {
  const mrc = m.MultiRegionConfiguration;
  return {
    keyId: str(m.KeyId) ?? listed.keyId,
    arn: str(m.Arn) ?? listed.arn,
    description: typeof m.Description === "string" ? m.Description : "",
    keyState: str(m.KeyState) ?? "Unknown",
    keyManager: str(m.KeyManager) ?? "Unknown",
    // KeySpec replaced CustomerMasterKeySpec; old endpoints may send only the latter.
    keySpec: str(m.KeySpec) ?? str(m.CustomerMasterKeySpec) ?? "Unknown",
    keyUsage: str(m.KeyUsage),
    origin: str(m.Origin) ?? "Unknown",
    enabled: m.Enabled === true,
    creationDate: date(m.CreationDate),
    deletionDate: date(m.DeletionDate),
    multiRegion: m.MultiRegion === true,
    multiRegionType: str(mrc?.MultiRegionKeyType),
    primaryKeyArn: str(mrc?.PrimaryKey?.Arn),
    primaryRegion: str(mrc?.PrimaryKey?.Region),
  };
}
