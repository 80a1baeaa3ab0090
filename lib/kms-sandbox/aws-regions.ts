// The commercial AWS regions the Account API lists: those every account has, and the opt-in ones an
// account must enable first (AWS answers UnrecognizedClientException in an opt-in region it has not).

export const DEFAULT_REGIONS = [
  "ap-northeast-1",
  "ap-northeast-2",
  "ap-northeast-3",
  "ap-south-1",
  "ap-southeast-1",
  "ap-southeast-2",
  "ca-central-1",
  "eu-central-1",
  "eu-north-1",
  "eu-west-1",
  "eu-west-2",
  "eu-west-3",
  "sa-east-1",
  "us-east-1",
  "us-east-2",
  "us-west-1",
  "us-west-2",
] as const;

export const OPT_IN_REGIONS = [
  "af-south-1",
  "ap-east-1",
  "ap-south-2",
  "ap-southeast-3",
  "ap-southeast-4",
  "ap-southeast-5",
  "ca-west-1",
  "eu-central-2",
  "eu-south-1",
  "eu-south-2",
  "il-central-1",
  "me-central-1",
  "me-south-1",
] as const;

const OPT_IN = new Set<string>(OPT_IN_REGIONS);

export const isOptInRegion = (region: string) => OPT_IN.has(region);

/** Every region ListRegions knows, by name. */
export const ALL_REGIONS: readonly string[] = [...DEFAULT_REGIONS, ...OPT_IN_REGIONS].sort();

export type RegionOptStatus = "ENABLED" | "ENABLING" | "DISABLING" | "DISABLED" | "ENABLED_BY_DEFAULT";
export const REGION_OPT_STATUSES: readonly RegionOptStatus[] = [
  "ENABLED",
  "ENABLING",
  "DISABLING",
  "DISABLED",
  "ENABLED_BY_DEFAULT",
];

/**
 * An account's status for one region. `enabledOptIn` undefined: the account models no opt-in
 * (estates without an organization), so every opt-in region the estate serves counts as enabled.
 */
export function regionOptStatus(
  region: string,
  enabledOptIn: readonly string[] | undefined,
  estateRegions: readonly string[],
): RegionOptStatus {
  if (!isOptInRegion(region)) return "ENABLED_BY_DEFAULT";
  const enabled = enabledOptIn ?? estateRegions;
  return enabled.includes(region) ? "ENABLED" : "DISABLED";
}
