import type {
  KeyManager,
  KeyOrigin,
  KeyRotationEntry,
  KeyScenario,
  KeySpec,
  KeyState,
  KeyUsage,
  KeyMetadata,
  SandboxAlias,
  SandboxKey,
} from "./estate-types";
import type { Rng } from "./random";
import { APPS, ENVIRONMENTS, heavyTags, randomTags } from "./tag-vocabulary";

const DAY_MS = 86_400_000;
export const addDays = (date: Date, days: number) => new Date(date.getTime() + days * DAY_MS);

export const keyArn = (region: string, accountId: string, keyId: string) =>
  `arn:aws:kms:${region}:${accountId}:key/${keyId}`;
export const aliasArn = (region: string, accountId: string, aliasName: string) =>
  `arn:aws:kms:${region}:${accountId}:${aliasName}`;

/** Everything that is shared by the keys of one account+region while it is generated. */
export interface RegionContext {
  rng: Rng;
  accountId: string;
  region: string;
  now: Date;
  usedAliasNames: Set<string>;
  usedAwsServices: Set<string>;
}

export interface KeyPlan {
  scenario: KeyScenario;
  keyManager?: KeyManager;
  keySpec?: KeySpec;
  keyUsage?: KeyUsage;
  origin?: KeyOrigin;
  keyState?: KeyState;
  rotation?: { enabled: boolean; periodInDays?: number; omitPeriod?: boolean };
  ageDays?: [number, number];
  /** EXTERNAL keys: days since the newest imported material; null = never rotated since import. */
  importedMaterialAgeDays?: number | null;
  multiRegionPrimary?: boolean;
  rotationStatusError?: "AccessDeniedException";
  awsService?: string;
  tags?: "none" | "random" | "heavy";
}

export const AWS_SERVICES: Record<string, string> = {
  s3: "S3 objects",
  ebs: "EBS volumes",
  rds: "RDS database volumes",
  secretsmanager: "Secrets Manager secrets",
  ssm: "SSM parameters",
  lambda: "Lambda functions",
  sns: "SNS data",
  sqs: "SQS messages",
  dynamodb: "DynamoDB data",
  backup: "backups",
  elasticfilesystem: "EFS file systems",
  kinesis: "Kinesis data",
  redshift: "Redshift data",
  glue: "Glue data",
  acm: "ACM private keys",
  es: "Elasticsearch data",
  ecr: "ECR repositories",
  xray: "X-Ray data",
};

function defaultUsage(spec: KeySpec): KeyUsage {
  if (spec === "SYMMETRIC_DEFAULT") return "ENCRYPT_DECRYPT";
  if (spec.startsWith("HMAC_")) return "GENERATE_VERIFY_MAC";
  return "SIGN_VERIFY";
}

function algorithms(spec: KeySpec, usage: KeyUsage): Partial<KeyMetadata> {
  if (spec === "SYMMETRIC_DEFAULT") return { EncryptionAlgorithms: ["SYMMETRIC_DEFAULT"] };
  if (spec.startsWith("HMAC_")) return { MacAlgorithms: [`HMAC_SHA_${spec.slice(5)}`] };
  if (spec.startsWith("RSA_")) {
    return usage === "ENCRYPT_DECRYPT"
      ? { EncryptionAlgorithms: ["RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"] }
      : { SigningAlgorithms: ["RSASSA_PSS_SHA_256", "RSASSA_PSS_SHA_384", "RSASSA_PKCS1_V1_5_SHA_256"] };
  }
  if (spec === "SM2") return { SigningAlgorithms: ["SM2DSA"] };
  if (spec.startsWith("ML_DSA_")) return { SigningAlgorithms: ["ML_DSA_SHAKE_256"] };
  const sha = { ECC_NIST_P384: "384", ECC_NIST_P521: "512" }[spec as string] ?? "256";
  return { SigningAlgorithms: [`ECDSA_SHA_${sha}`] };
}

function description(ctx: RegionContext, plan: KeyPlan): string {
  if (plan.awsService) {
    return `Default key that protects my ${AWS_SERVICES[plan.awsService]} when no other key is defined`;
  }
  const app = ctx.rng.pick(APPS);
  return ctx.rng.pick([
    "",
    `Encrypts ${app} data at rest`,
    `${app} (${ctx.rng.pick(ENVIRONMENTS)})`,
    `Key for ${app} secrets — owned by the platform team`,
    `Managed by Terraform: module.${app.replace(/-/g, "_")}.aws_kms_key.this`,
    `Signing key for ${app} tokens`,
  ]);
}

function automaticRotations(
  ctx: RegionContext,
  from: Date,
  periodDays: number,
  max = 24,
): KeyRotationEntry[] {
  const entries: KeyRotationEntry[] = [];
  for (
    let at = addDays(from, periodDays);
    at < ctx.now && entries.length < max;
    at = addDays(at, periodDays)
  ) {
    entries.push({ RotationDate: at, RotationType: "AUTOMATIC", KeyMaterialId: ctx.rng.hex(64) });
  }
  return entries;
}

function importedRotations(ctx: RegionContext, created: Date, newestAgeDays: number): KeyRotationEntry[] {
  const newest = addDays(ctx.now, -newestAgeDays);
  const entries: KeyRotationEntry[] = [];
  const olderAt = addDays(newest, -ctx.rng.int(200, 400));
  if (olderAt > created)
    entries.push({ RotationDate: olderAt, RotationType: "ON_DEMAND", KeyMaterialId: ctx.rng.hex(64) });
  entries.push({ RotationDate: newest, RotationType: "ON_DEMAND", KeyMaterialId: ctx.rng.hex(64) });
  return entries.map((entry, i) => ({
    ...entry,
    ImportState: "IMPORTED",
    KeyMaterialState: i === entries.length - 1 ? "CURRENT" : "NON_CURRENT",
  }));
}

function aliasNamesFor(ctx: RegionContext, plan: KeyPlan): string[] {
  if (plan.awsService) return [`alias/aws/${plan.awsService}`];
  const { rng } = ctx;
  const count = rng.pick([0, 1, 1, 1, 1, 1, 1, 2, 2, 3]);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const app = rng.pick(APPS);
    const base = rng.pick([
      `alias/${app}`,
      `alias/${app}-${rng.pick(ENVIRONMENTS)}`,
      `alias/${rng.pick(["team", "svc", "data"])}/${app}`,
    ]);
    let name = base;
    for (let n = 2; ctx.usedAliasNames.has(name); n++) name = `${base}-${n}`;
    ctx.usedAliasNames.add(name);
    names.push(name);
  }
  return names;
}

export function buildAlias(ctx: RegionContext, name: string, target: SandboxKey): SandboxAlias {
  const created = new Date(ctx.rng.int(target.metadata.CreationDate.getTime(), ctx.now.getTime()));
  const updated = ctx.rng.chance(0.7) ? created : new Date(ctx.rng.int(created.getTime(), ctx.now.getTime()));
  return {
    AliasName: name,
    AliasArn: aliasArn(ctx.region, ctx.accountId, name),
    TargetKeyId: target.metadata.KeyId,
    CreationDate: created,
    LastUpdatedDate: updated,
  };
}

export function buildKey(ctx: RegionContext, plan: KeyPlan): SandboxKey {
  const { rng, now } = ctx;
  const keySpec = plan.keySpec ?? "SYMMETRIC_DEFAULT";
  const keyUsage = plan.keyUsage ?? defaultUsage(keySpec);
  const origin = plan.origin ?? "AWS_KMS";
  const keyState = plan.keyState ?? "Enabled";
  const keyManager = plan.keyManager ?? "CUSTOMER";
  const [minAge, maxAge] = plan.ageDays ?? [20, 2200];
  const created = new Date(now.getTime() - rng.int(minAge * DAY_MS, maxAge * DAY_MS));
  const keyId = plan.multiRegionPrimary ? `mrk-${rng.hex(32)}` : rng.uuid();

  const metadata: KeyMetadata = {
    AWSAccountId: ctx.accountId,
    KeyId: keyId,
    Arn: keyArn(ctx.region, ctx.accountId, keyId),
    CreationDate: created,
    Enabled: keyState === "Enabled",
    Description: description(ctx, plan),
    KeyUsage: keyUsage,
    KeyState: keyState,
    Origin: origin,
    KeyManager: keyManager,
    KeySpec: keySpec,
    CustomerMasterKeySpec: keySpec,
    ...algorithms(keySpec, keyUsage),
    MultiRegion: Boolean(plan.multiRegionPrimary),
  };
  if (keyState === "PendingDeletion" || keyState === "PendingReplicaDeletion") {
    metadata.PendingDeletionWindowInDays = rng.pick([7, 14, 30]);
    metadata.DeletionDate = addDays(now, rng.int(1, metadata.PendingDeletionWindowInDays));
  }
  if (origin === "AWS_CLOUDHSM" || origin === "EXTERNAL_KEY_STORE")
    metadata.CustomKeyStoreId = `cks-${rng.hex(17)}`;
  if (origin === "AWS_CLOUDHSM") metadata.CloudHsmClusterId = `cluster-${rng.hex(11)}`;
  if (origin === "EXTERNAL" && keyState !== "PendingImport")
    metadata.ExpirationModel = "KEY_MATERIAL_DOES_NOT_EXPIRE";

  const rotationPlan = plan.rotation ?? { enabled: false };
  const period = rotationPlan.periodInDays ?? 365;
  let rotations: KeyRotationEntry[] = [];
  if (origin === "EXTERNAL") {
    const age = plan.importedMaterialAgeDays;
    if (age !== undefined && age !== null && keyState !== "PendingImport")
      rotations = importedRotations(ctx, created, age);
  } else if (rotationPlan.enabled) {
    rotations = automaticRotations(ctx, created, period);
  } else if (origin === "AWS_KMS" && keySpec === "SYMMETRIC_DEFAULT" && rng.chance(0.3)) {
    rotations = automaticRotations(ctx, created, 365, rng.int(1, 2)); // rotated once, then switched off
  }
  const lastRotation = rotations.at(-1)?.RotationDate ?? created;
  let next = addDays(lastRotation, period);
  while (next < now) next = addDays(next, period);

  return {
    accountId: ctx.accountId,
    region: ctx.region,
    scenario: plan.scenario,
    metadata,
    rotation: rotationPlan.enabled
      ? { enabled: true, periodInDays: rotationPlan.omitPeriod ? undefined : period, nextRotationDate: next }
      : { enabled: false },
    rotations,
    aliasNames: aliasNamesFor(ctx, plan),
    tags:
      keyManager === "AWS" || plan.tags === "none"
        ? []
        : plan.tags === "heavy"
          ? heavyTags(rng)
          : randomTags(rng, rng.pick([0, 0, 1, 2, 3, 3, 4, 5, 6, 8, 10, 14])),
    ...(plan.rotationStatusError ? { rotationStatusError: plan.rotationStatusError } : {}),
  };
}

/** A replica of a multi-Region primary in another region: same key id, mirrored rotation. */
export function buildReplica(ctx: RegionContext, primary: SandboxKey): SandboxKey {
  const p = primary.metadata;
  const created = new Date(ctx.rng.int(p.CreationDate.getTime(), ctx.now.getTime() - DAY_MS));
  const arn = keyArn(ctx.region, ctx.accountId, p.KeyId);
  return {
    ...structuredClone(primary),
    region: ctx.region,
    scenario: "multi-region-replica",
    metadata: {
      ...structuredClone(p),
      Arn: arn,
      CreationDate: created,
      KeyState: "Enabled",
      Enabled: true,
      DeletionDate: undefined,
      PendingDeletionWindowInDays: undefined,
      MultiRegionConfiguration: {
        MultiRegionKeyType: "REPLICA",
        PrimaryKey: { Arn: p.Arn, Region: primary.region },
        ReplicaKeys: [{ Arn: arn, Region: ctx.region }],
      },
    },
    aliasNames: aliasNamesFor(ctx, { scenario: "multi-region-replica" }),
    tags: randomTags(ctx.rng, ctx.rng.int(0, 5)),
  };
}
