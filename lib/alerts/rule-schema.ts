import { z } from "zod";

// What an admin may say about an alert rule; one schema for the console and the CLI.

export const RULE_KINDS = ["NEW_OR_REOPENED", "SLA_OVERDUE", "EXCEPTION_EXPIRING", "SCAN_FAILED"] as const;
export type RuleKind = (typeof RULE_KINDS)[number];
export const RULE_KIND_LABELS: Record<RuleKind, string> = {
  NEW_OR_REOPENED: "New or reopened findings",
  SLA_OVERDUE: "Findings past their SLA",
  EXCEPTION_EXPIRING: "Exceptions expiring soon",
  SCAN_FAILED: "Scan failed or partial",
};
/** The severities a finding rule may choose: only failing ones make findings. */
export const ALERT_SEVERITIES = ["CRITICAL", "WARNING"] as const;

const emptyToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const list = (item: z.ZodString, max: number, what: string) =>
  z
    .array(item)
    .max(max, `At most ${max} ${what}.`)
    .transform((v) => [...new Set(v)].sort());

export const ruleInputSchema = z
  .object({
    name: z.string().trim().min(1, "Give the rule a name.").max(100, "At most 100 characters."),
    kind: z.enum(RULE_KINDS, "Choose what the rule alerts on."),
    destinationId: z.string().trim().min(1, "Choose a destination.").max(64, "Choose a destination."),
    enabled: z.boolean().default(true),
    severities: z.array(z.enum(ALERT_SEVERITIES, "Critical or Warning.")).default([]),
    accountIds: list(
      z
        .string()
        .trim()
        .regex(/^\d{12}$/, "An AWS account id is exactly 12 digits."),
      200,
      "accounts",
    ).default([]),
    ouIds: list(
      z
        .string()
        .trim()
        .regex(
          /^(ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}|r-[a-z0-9]{4,32})$/,
          "An OU id looks like ou-ab12-cdef3456.",
        ),
      100,
      "OUs",
    ).default([]),
    tagKey: z.preprocess(emptyToUndefined, z.string().trim().max(128, "At most 128 characters.").optional()),
    tagValue: z.preprocess(
      emptyToUndefined,
      z.string().trim().max(256, "At most 256 characters.").optional(),
    ),
    days: z.preprocess(
      emptyToUndefined,
      z.coerce
        .number("Enter a number of days from 1 to 365.")
        .int("Enter a number of days from 1 to 365.")
        .min(1, "Enter a number of days from 1 to 365.")
        .max(365, "Enter a number of days from 1 to 365.")
        .optional(),
    ),
  })
  .superRefine((rule, ctx) => {
    if (rule.kind === "NEW_OR_REOPENED" && rule.severities.length === 0) {
      ctx.addIssue({ code: "custom", path: ["severities"], message: "Choose at least one severity." });
    }
    if (rule.kind === "EXCEPTION_EXPIRING" && rule.days === undefined) {
      ctx.addIssue({ code: "custom", path: ["days"], message: "Enter a number of days from 1 to 365." });
    }
    if (rule.tagValue !== undefined && rule.tagKey === undefined) {
      ctx.addIssue({ code: "custom", path: ["tagKey"], message: "A tag value needs its tag key." });
    }
  })
  .transform((rule) => {
    // Only what the kind uses is kept, so that a rule reads as what it does.
    const findings = rule.kind === "NEW_OR_REOPENED" || rule.kind === "SLA_OVERDUE";
    return {
      ...rule,
      severities: findings ? [...new Set(rule.severities)] : [],
      accountIds: findings ? rule.accountIds : [],
      ouIds: findings ? rule.ouIds : [],
      tagKey: findings ? (rule.tagKey ?? null) : null,
      tagValue: findings ? (rule.tagValue ?? null) : null,
      days: rule.kind === "EXCEPTION_EXPIRING" ? rule.days! : null,
    };
  });
export type RuleInput = z.output<typeof ruleInputSchema>;
