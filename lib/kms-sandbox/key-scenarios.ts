import type { KeyPlan, RegionContext } from "./key-factory";
import { AWS_SERVICES } from "./key-factory";
import type { KeySpec } from "./estate-types";

/**
 * One key per row of the spec's severity table, most useful first: with a small `keysPerRegion`
 * the generator keeps a prefix of this list, so a demo estate still shows every severity.
 * Multi-Region primaries also put a replica into the next region of the estate.
 */
export const REQUIRED_PLANS: readonly KeyPlan[] = [
  { scenario: "enabled-rotation-off", rotation: { enabled: false } },
  { scenario: "rotation-enabled-default", rotation: { enabled: true, periodInDays: 365 }, tags: "heavy" },
  { scenario: "rotation-period-730", rotation: { enabled: true, periodInDays: 730 } },
  { scenario: "disabled-rotation-off", keyState: "Disabled", rotation: { enabled: false } },
  {
    scenario: "aws-managed",
    keyManager: "AWS",
    rotation: { enabled: true, periodInDays: 365 },
    ageDays: [400, 2500],
  },
  {
    scenario: "rotation-status-denied",
    rotation: { enabled: true, periodInDays: 365 },
    rotationStatusError: "AccessDeniedException",
  },
  { scenario: "imported-fresh", origin: "EXTERNAL", importedMaterialAgeDays: 30, ageDays: [500, 1200] },
  { scenario: "imported-stale", origin: "EXTERNAL", importedMaterialAgeDays: 500, ageDays: [900, 1800] },
  {
    scenario: "pending-deletion",
    keyState: "PendingDeletion",
    rotation: { enabled: true, periodInDays: 365 },
  },
  { scenario: "asymmetric-rsa", keySpec: "RSA_2048", keyUsage: "ENCRYPT_DECRYPT" },
  {
    scenario: "multi-region-primary",
    multiRegionPrimary: true,
    rotation: { enabled: true, periodInDays: 180 },
  },
  { scenario: "hmac", keySpec: "HMAC_256" },
  { scenario: "asymmetric-ecc", keySpec: "ECC_NIST_P256" },
  { scenario: "sm2", keySpec: "SM2" },
  { scenario: "ml-dsa", keySpec: "ML_DSA_65" },
  { scenario: "cloudhsm", origin: "AWS_CLOUDHSM" },
  { scenario: "external-key-store", origin: "EXTERNAL_KEY_STORE" },
  {
    scenario: "pending-replica-deletion",
    keyState: "PendingReplicaDeletion",
    multiRegionPrimary: true,
    rotation: { enabled: true, periodInDays: 365 },
  },
  { scenario: "creating", keyState: "Creating", ageDays: [0, 0] },
  { scenario: "updating", keyState: "Updating", rotation: { enabled: true, periodInDays: 365 } },
  {
    scenario: "pending-import",
    keyState: "PendingImport",
    origin: "EXTERNAL",
    importedMaterialAgeDays: null,
  },
  { scenario: "unavailable", keyState: "Unavailable", origin: "EXTERNAL_KEY_STORE" },
  {
    scenario: "rotation-enabled-no-period",
    rotation: { enabled: true, omitPeriod: true },
    ageDays: [2000, 2600],
  },
];

/** Slots a plan takes in every region: a multi-Region primary brings a replica into another region. */
export const slotsFor = (plan: KeyPlan, regionCount: number) =>
  plan.multiRegionPrimary && regionCount > 1 ? 2 : 1;

/** The prefix of REQUIRED_PLANS that fits, and how many mixed keys fill the rest. */
export function planRegion(
  keysPerRegion: number,
  regionCount: number,
): { required: KeyPlan[]; fillerCount: number } {
  let budget = keysPerRegion;
  const required: KeyPlan[] = [];
  for (const plan of REQUIRED_PLANS) {
    const slots = slotsFor(plan, regionCount);
    if (slots > budget) break;
    required.push(plan);
    budget -= slots;
  }
  return { required, fillerCount: budget };
}

/** keysPerRegion at which every row of the severity table is present in every account+region. */
export const fullCoverageKeysPerRegion = (regionCount: number) =>
  REQUIRED_PLANS.reduce((sum, plan) => sum + slotsFor(plan, regionCount), 0);

const ASYMMETRIC: KeySpec[] = [
  "RSA_2048",
  "RSA_3072",
  "RSA_4096",
  "ECC_NIST_P256",
  "ECC_NIST_P384",
  "ECC_NIST_P521",
  "ECC_SECG_P256K1",
  "HMAC_256",
  "HMAC_512",
  "ML_DSA_44",
  "ML_DSA_87",
];

function rotationPeriod(ctx: RegionContext): number {
  return ctx.rng.pick([365, 365, 365, 365, 365, 365, 365, 180, 90, 730, 1095, 2560]);
}

/** The everyday mix: mostly symmetric customer keys, rotation on more often than off. */
export function fillerPlan(ctx: RegionContext): KeyPlan {
  const { rng } = ctx;
  const roll = rng.next();
  const unusedServices = Object.keys(AWS_SERVICES).filter((s) => !ctx.usedAwsServices.has(s));
  if (roll < 0.08 && unusedServices.length > 0) {
    const awsService = rng.pick(unusedServices);
    ctx.usedAwsServices.add(awsService);
    return {
      scenario: "mix",
      keyManager: "AWS",
      awsService,
      rotation: { enabled: true, periodInDays: 365 },
      ageDays: [100, 2500],
    };
  }
  if (roll < 0.68) {
    const enabled = rng.chance(0.65);
    return {
      scenario: "mix",
      rotation: { enabled, periodInDays: enabled ? rotationPeriod(ctx) : undefined },
    };
  }
  if (roll < 0.76) {
    return {
      scenario: "mix",
      keyState: "Disabled",
      rotation: { enabled: rng.chance(0.5), periodInDays: 365 },
    };
  }
  if (roll < 0.86) {
    const keySpec = rng.pick(ASYMMETRIC);
    return {
      scenario: "mix",
      keySpec,
      keyUsage: keySpec.startsWith("RSA") && rng.chance(0.5) ? "ENCRYPT_DECRYPT" : undefined,
    };
  }
  if (roll < 0.91) {
    const fresh = rng.chance(0.5);
    return {
      scenario: "mix",
      origin: "EXTERNAL",
      importedMaterialAgeDays: fresh ? rng.int(1, 300) : rng.chance(0.5) ? rng.int(400, 900) : null,
      ageDays: fresh ? [400, 1500] : [1000, 2000],
    };
  }
  if (roll < 0.94)
    return { scenario: "mix", keyState: "PendingDeletion", rotation: { enabled: rng.chance(0.5) } };
  if (roll < 0.96)
    return { scenario: "mix", origin: rng.pick(["AWS_CLOUDHSM", "EXTERNAL_KEY_STORE"] as const) };
  if (roll < 0.97)
    return {
      scenario: "mix",
      rotation: { enabled: true, periodInDays: 365 },
      rotationStatusError: "AccessDeniedException",
    };
  return { scenario: "mix", rotation: { enabled: true, periodInDays: rotationPeriod(ctx) }, tags: "heavy" };
}

export function awsManagedPlan(ctx: RegionContext, plan: KeyPlan): KeyPlan {
  if (plan.keyManager !== "AWS" || plan.awsService) return plan;
  const unused = Object.keys(AWS_SERVICES).filter((s) => !ctx.usedAwsServices.has(s));
  const awsService = unused.length > 0 ? ctx.rng.pick(unused) : "s3";
  ctx.usedAwsServices.add(awsService);
  return { ...plan, awsService };
}
