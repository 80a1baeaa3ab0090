// Commercial, China and GovCloud regions that offer KMS (as of late 2026). A region not in this list
// is refused with a message naming the region, so that a typo never becomes a silent empty scan.
export const AWS_REGIONS = [
  "us-east-1",
  "us-east-2",
  "us-west-1",
  "us-west-2",
  "af-south-1",
  "ap-east-1",
  "ap-east-2",
  "ap-south-1",
  "ap-south-2",
  "ap-southeast-1",
  "ap-southeast-2",
  "ap-southeast-3",
  "ap-southeast-4",
  "ap-southeast-5",
  "ap-southeast-6",
  "ap-southeast-7",
  "ap-northeast-1",
  "ap-northeast-2",
  "ap-northeast-3",
  "ca-central-1",
  "ca-west-1",
  "eu-central-1",
  "eu-central-2",
  "eu-west-1",
  "eu-west-2",
  "eu-west-3",
  "eu-south-1",
  "eu-south-2",
  "eu-north-1",
  "il-central-1",
  "me-south-1",
  "me-central-1",
  "mx-central-1",
  "sa-east-1",
  "cn-north-1",
  "cn-northwest-1",
  "us-gov-east-1",
  "us-gov-west-1",
] as const;

export type AwsRegion = (typeof AWS_REGIONS)[number];

const KNOWN = new Set<string>(AWS_REGIONS);

export function isAwsRegion(value: string): value is AwsRegion {
  return KNOWN.has(value);
}

/**
 * Commercial regions an account must opt in to. A call there from an account that has not enabled
 * the region fails as if its credentials were invalid, STS's AssumeRole too.
 */
export const OPT_IN_REGIONS: ReadonlySet<string> = new Set([
  "af-south-1",
  "ap-east-1",
  "ap-east-2",
  "ap-south-2",
  "ap-southeast-3",
  "ap-southeast-4",
  "ap-southeast-5",
  "ap-southeast-6",
  "ap-southeast-7",
  "ca-west-1",
  "eu-central-2",
  "eu-south-1",
  "eu-south-2",
  "il-central-1",
  "me-central-1",
  "me-south-1",
  "mx-central-1",
]);

/** The regions every commercial account has enabled (not opt-in, not China or GovCloud). */
export const DEFAULT_ENABLED_REGIONS: string[] = AWS_REGIONS.filter(
  (r) => !OPT_IN_REGIONS.has(r) && !r.startsWith("cn-") && !r.startsWith("us-gov-"),
).sort();
