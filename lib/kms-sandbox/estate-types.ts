// The shape of a sandbox estate: accounts, their regions, and the KMS keys and aliases in each.
// Field names inside `metadata`, tags, aliases and rotations follow the KMS API so they can be
// served as they are; dates are Date objects (the wire turns them into epoch seconds).

export const KEY_STATES = [
  "Creating",
  "Enabled",
  "Disabled",
  "PendingDeletion",
  "PendingImport",
  "PendingReplicaDeletion",
  "Unavailable",
  "Updating",
] as const;
export type KeyState = (typeof KEY_STATES)[number];
export type KeyOrigin = "AWS_KMS" | "EXTERNAL" | "AWS_CLOUDHSM" | "EXTERNAL_KEY_STORE";
export type KeyManager = "AWS" | "CUSTOMER";
export type KeyUsage = "ENCRYPT_DECRYPT" | "SIGN_VERIFY" | "GENERATE_VERIFY_MAC" | "KEY_AGREEMENT";
export type KeySpec =
  | "SYMMETRIC_DEFAULT"
  | "RSA_2048"
  | "RSA_3072"
  | "RSA_4096"
  | "ECC_NIST_P256"
  | "ECC_NIST_P384"
  | "ECC_NIST_P521"
  | "ECC_SECG_P256K1"
  | "HMAC_224"
  | "HMAC_256"
  | "HMAC_384"
  | "HMAC_512"
  | "SM2"
  | "ML_DSA_44"
  | "ML_DSA_65"
  | "ML_DSA_87";

export interface MultiRegionKeyRef {
  Arn: string;
  Region: string;
}

export interface MultiRegionConfiguration {
  MultiRegionKeyType: "PRIMARY" | "REPLICA";
  PrimaryKey: MultiRegionKeyRef;
  ReplicaKeys: MultiRegionKeyRef[];
}

export interface KeyMetadata {
  AWSAccountId: string;
  KeyId: string;
  Arn: string;
  CreationDate: Date;
  Enabled: boolean;
  Description: string;
  KeyUsage: KeyUsage;
  KeyState: KeyState;
  DeletionDate?: Date;
  PendingDeletionWindowInDays?: number;
  Origin: KeyOrigin;
  CustomKeyStoreId?: string;
  CloudHsmClusterId?: string;
  ExpirationModel?: "KEY_MATERIAL_EXPIRES" | "KEY_MATERIAL_DOES_NOT_EXPIRE";
  KeyManager: KeyManager;
  KeySpec: KeySpec;
  CustomerMasterKeySpec: KeySpec;
  EncryptionAlgorithms?: string[];
  SigningAlgorithms?: string[];
  MacAlgorithms?: string[];
  MultiRegion: boolean;
  MultiRegionConfiguration?: MultiRegionConfiguration;
}

/** The key's automatic rotation setting, as GetKeyRotationStatus would report it for a usable key. */
export interface KeyRotationSetting {
  enabled: boolean;
  /** Omitted on the wire when undefined (the spec then assumes 365). */
  periodInDays?: number;
  nextRotationDate?: Date;
  onDemandRotationStartDate?: Date;
}

/** One ListKeyRotations entry (KeyId is filled in when served). */
export interface KeyRotationEntry {
  RotationDate: Date;
  RotationType: "AUTOMATIC" | "ON_DEMAND";
  KeyMaterialId: string;
  KeyMaterialState?: "CURRENT" | "NON_CURRENT";
  ImportState?: "IMPORTED";
}

export interface ResourceTag {
  TagKey: string;
  TagValue: string;
}

export interface SandboxAlias {
  AliasName: string;
  AliasArn: string;
  /** Absent for predefined AWS aliases whose key the service has not created yet. */
  TargetKeyId?: string;
  CreationDate?: Date;
  LastUpdatedDate?: Date;
}

/** What a generated key was built to exercise (one per row of the spec's severity table, plus the mix). */
export type KeyScenario =
  | "enabled-rotation-off"
  | "rotation-enabled-default"
  | "rotation-enabled-no-period"
  | "rotation-period-730"
  | "disabled-rotation-off"
  | "aws-managed"
  | "rotation-status-denied"
  | "imported-fresh"
  | "imported-stale"
  | "pending-deletion"
  | "pending-replica-deletion"
  | "creating"
  | "updating"
  | "pending-import"
  | "unavailable"
  | "asymmetric-rsa"
  | "asymmetric-ecc"
  | "hmac"
  | "sm2"
  | "ml-dsa"
  | "cloudhsm"
  | "external-key-store"
  | "multi-region-primary"
  | "multi-region-replica"
  | "mix";

export interface SandboxKey {
  accountId: string;
  region: string;
  scenario: KeyScenario;
  metadata: KeyMetadata;
  rotation: KeyRotationSetting;
  rotations: KeyRotationEntry[];
  aliasNames: string[];
  tags: ResourceTag[];
  /** GetKeyRotationStatus on this key fails with this error (e.g. a key policy that denies it). */
  rotationStatusError?: "AccessDeniedException";
}

export interface RegionEstate {
  keys: SandboxKey[];
  aliases: SandboxAlias[];
}

export interface SandboxRole {
  roleName: string;
  roleArn: string;
  /** When set, AssumeRole must pass exactly this ExternalId. */
  externalId?: string;
  /** Sessions of this role may call EnableKeyRotation and DisableKeyRotation (the remediation role). */
  canWrite?: boolean;
}

export interface SandboxAccount {
  id: string;
  name: string;
  /** The read-only role (KmsInsightsReadOnly) the scanner assumes. */
  role?: SandboxRole;
  /** KmsInsightsRemediation: present when `role` is, with the same ExternalId; its sessions may write. */
  remediationRole?: SandboxRole;
  /** In an organization: the member role (KmsInsightsMember) the org-wide scan assumes; absent in some accounts. */
  memberRole?: SandboxRole;
  /**
   * In an organization: the opt-in regions (eu-south-1, ...) this account has enabled. KMS, STS and
   * CloudTrail in an opt-in region not listed answer as AWS does for a disabled region (invalid
   * token). Undefined (no organization): every region the estate has counts as enabled.
   */
  enabledOptInRegions?: string[];
  regions: Record<string, RegionEstate>;
}

export type OrgAccountStatus = "ACTIVE" | "SUSPENDED" | "PENDING_CLOSURE";

export interface SandboxOrgUnit {
  id: string;
  arn: string;
  name: string;
  /** The root's id or another OU's. */
  parentId: string;
  /** o-.../r-.../ou-.../ : the OU's path from the organization. */
  path: string;
}

export interface SandboxOrgMember {
  accountId: string;
  /** The root's id or an OU's. */
  parentId: string;
  arn: string;
  email: string;
  name: string;
  status: OrgAccountStatus;
  joinedMethod: "CREATED" | "INVITED";
  joinedTimestamp: Date;
}

export interface SandboxOrganization {
  id: string;
  arn: string;
  /** The first account of the estate. */
  managementAccountId: string;
  rootId: string;
  rootArn: string;
  /** Parents before their children. */
  units: SandboxOrgUnit[];
  /** Every estate account: the management account first. */
  members: SandboxOrgMember[];
  /** Members that may call the Organizations read APIs like the management account. */
  delegatedAdministrators: string[];
  /** The member role's name and the ExternalId it requires (the same in every account). */
  memberRole: { roleName: string; externalId: string };
  /**
   * The member that leaves the organization by itself, right after the first ListAccounts that
   * answers its last page (so a second sync no longer sees it). Undefined: none does.
   */
  leaverId?: string;
}

export interface Estate {
  seed: string;
  now: Date;
  regions: string[];
  accounts: SandboxAccount[];
  /** AWS Organizations over the accounts, when the estate was generated with one. */
  organization?: SandboxOrganization;
}
