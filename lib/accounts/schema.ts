import { z } from "zod";
import { AWS_REGIONS, isAwsRegion } from "@/lib/aws/regions";

// What an admin may say about an AWS account, in the console or the CLI; one schema for both.

export const accountIdSchema = z
  .string()
  .trim()
  .regex(/^\d{12}$/, "An AWS account id is exactly 12 digits.");

/** Region names, each one we know, sorted without repeats; possibly none. */
export const regionNamesSchema = z
  .array(z.string().trim())
  .max(AWS_REGIONS.length)
  .superRefine((regions, ctx) => {
    const unknown = regions.filter((r) => !isAwsRegion(r));
    if (unknown.length) {
      ctx.addIssue({
        code: "custom",
        message: `Not an AWS region: ${unknown.map((r) => JSON.stringify(r)).join(", ")}.`,
      });
    }
  })
  .transform((regions) => [...new Set(regions)].sort());

export const roleArnSchema = z
  .string()
  .trim()
  .max(2048)
  .regex(
    /^arn:aws(-cn|-us-gov)?:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/,
    "A role ARN looks like arn:aws:iam::123456789012:role/KmsInsightsReadOnly.",
  );

// STS: 2 to 1224 characters of letters, digits and _+=,.@:/-
export const externalIdSchema = z
  .string()
  .regex(/^[\w+=,.@:/-]{2,1224}$/, "An external id is 2 to 1224 characters of letters, digits and _+=,.@:/-");

export const profileSchema = z
  .string()
  .trim()
  .regex(/^[\w.@+-]{1,128}$/, "A profile name is 1 to 128 letters, digits or _.@+-");

/** How fixes reach the account: NONE (the default) stores no write access at all. */
export const REMEDIATION_METHODS = ["NONE", "DEFAULT_CHAIN", "PROFILE", "ROLE"] as const;
export type RemediationMethod = (typeof REMEDIATION_METHODS)[number];

export const accountInputSchema = z
  .object({
    id: accountIdSchema,
    name: z.string().trim().min(1, "Give the account a name.").max(100, "A name is at most 100 characters."),
    // LISTED: the regions given. ALL_ENABLED: every enabled region, discovered with the Account
    // API (lib/organizations/regions.ts); the regions given are then ignored.
    regionMode: z.enum(["LISTED", "ALL_ENABLED"]).default("LISTED"),
    regions: regionNamesSchema,
    accessMethod: z.enum(["DEFAULT_CHAIN", "PROFILE", "ROLE"]).default("DEFAULT_CHAIN"),
    profile: profileSchema.optional(),
    roleArn: roleArnSchema.optional(),
    externalId: externalIdSchema.optional(),
    endpointUrl: z.url({ protocol: /^https?$/, message: "The endpoint must be an http(s) URL." }).optional(),
    enabled: z.boolean().default(true),
    // The separate access used only for writes (fix plans); NONE: the console gives CLI commands.
    remediationMethod: z.enum(REMEDIATION_METHODS).default("NONE"),
    remediationProfile: profileSchema.optional(),
    remediationRoleArn: roleArnSchema.optional(),
    remediationExternalId: externalIdSchema.optional(),
  })
  .superRefine((a, ctx) => {
    if (a.regionMode === "LISTED" && a.regions.length === 0)
      ctx.addIssue({ code: "custom", path: ["regions"], message: "Choose at least one region." });
    if (a.remediationMethod === "PROFILE" && !a.remediationProfile)
      ctx.addIssue({
        code: "custom",
        path: ["remediationProfile"],
        message: "Name the profile to use for fixes.",
      });
    if (a.remediationMethod === "ROLE" && !a.remediationRoleArn)
      ctx.addIssue({
        code: "custom",
        path: ["remediationRoleArn"],
        message: "Give the remediation role ARN to assume.",
      });
    if (a.remediationMethod !== "ROLE" && a.remediationExternalId)
      ctx.addIssue({
        code: "custom",
        path: ["remediationExternalId"],
        message: "An external id goes with a remediation role ARN.",
      });
    if (a.accessMethod === "PROFILE" && !a.profile)
      ctx.addIssue({ code: "custom", path: ["profile"], message: "Name the profile to use." });
    if (a.accessMethod === "ROLE" && !a.roleArn)
      ctx.addIssue({ code: "custom", path: ["roleArn"], message: "Give the role ARN to assume." });
    if (a.accessMethod !== "ROLE" && a.externalId) {
      ctx.addIssue({ code: "custom", path: ["externalId"], message: "An external id goes with a role ARN." });
    }
  });

export type AccountInput = z.input<typeof accountInputSchema>;
