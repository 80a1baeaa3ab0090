import { z } from "zod";
import { externalIdSchema, profileSchema, regionNamesSchema, roleArnSchema } from "@/lib/accounts/schema";

// What an admin may say about an AWS organization, in the console or the CLI; one schema for both.

// IAM role names: 1 to 64 of letters, digits and _+=,.@-, optionally under a path (security-audit/Name).
export const memberRoleNameSchema = z
  .string()
  .trim()
  .regex(
    /^(?:[\w+=,.@-]+\/){0,8}[\w+=,.@-]{1,64}$/,
    "A role name is 1 to 64 letters, digits or _+=,.@- (optionally under a path: audit/KmsInsightsReadOnly).",
  );

// Organizations ids: a root (r-…) or an organizational unit (ou-<root part>-<ou part>).
const OU_ID = /^(?:r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[0-9a-z]{8,32})$/;

const ouIdsSchema = z
  .array(z.string().trim())
  .max(1000, "At most 1,000 OU ids.")
  .superRefine((ids, ctx) => {
    const bad = ids.filter((id) => !OU_ID.test(id));
    if (bad.length)
      ctx.addIssue({
        code: "custom",
        message: `Not an OU or root id (ou-abcd-12345678, r-abcd): ${bad.map((b) => JSON.stringify(b)).join(", ")}.`,
      });
  })
  .transform((ids) => [...new Set(ids)].sort());

export const organizationInputSchema = z
  .object({
    name: z
      .string()
      .trim()
      .min(1, "Give the organization a name.")
      .max(100, "A name is at most 100 characters."),
    accessMethod: z.enum(["DEFAULT_CHAIN", "PROFILE", "ROLE"]).default("DEFAULT_CHAIN"),
    profile: profileSchema.optional(),
    roleArn: roleArnSchema.optional(),
    externalId: externalIdSchema.optional(),
    endpointUrl: z.url({ protocol: /^https?$/, message: "The endpoint must be an http(s) URL." }).optional(),
    memberRoleName: memberRoleNameSchema,
    memberExternalId: externalIdSchema.optional(),
    includeOus: ouIdsSchema.default([]),
    excludeOus: ouIdsSchema.default([]),
    regionAllow: regionNamesSchema.default([]),
    regionDeny: regionNamesSchema.default([]),
  })
  .superRefine((o, ctx) => {
    if (o.accessMethod === "PROFILE" && !o.profile)
      ctx.addIssue({ code: "custom", path: ["profile"], message: "Name the profile to use." });
    if (o.accessMethod === "ROLE" && !o.roleArn)
      ctx.addIssue({ code: "custom", path: ["roleArn"], message: "Give the role ARN to assume." });
    if (o.accessMethod !== "ROLE" && o.externalId)
      ctx.addIssue({ code: "custom", path: ["externalId"], message: "An external id goes with a role ARN." });
    const both = o.includeOus.filter((id) => o.excludeOus.includes(id));
    if (both.length)
      ctx.addIssue({
        code: "custom",
        path: ["excludeOus"],
        message: `An OU cannot be both included and excluded: ${both.join(", ")}.`,
      });
    const allowedAndDenied = o.regionAllow.filter((r) => o.regionDeny.includes(r));
    if (allowedAndDenied.length)
      ctx.addIssue({
        code: "custom",
        path: ["regionDeny"],
        message: `A region cannot be both allowed and denied: ${allowedAndDenied.join(", ")}.`,
      });
  });

export type OrganizationInput = z.input<typeof organizationInputSchema>;
export type ParsedOrganization = z.output<typeof organizationInputSchema>;
