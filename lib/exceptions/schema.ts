import { z } from "zod";
import { TAG_KEY_MAX, TAG_VALUE_MAX } from "@/lib/insight-table/filter-defs";

// An exception as a user asks for it (console form, CLI, later the API): one schema, one set of
// messages. Dates are whole days: an exception "expires 2027-03-01" ends at 00:00 UTC that day.

export const EXCEPTION_KINDS = ["accepted-risk", "false-positive"] as const;
export type ExceptionKindName = (typeof EXCEPTION_KINDS)[number];

export const MAX_EXCEPTION_DAYS = 365;
export const DEFAULT_EXCEPTION_DAYS = 90;
/** Keys one exception may list; more is a rule's job. */
export const MAX_EXCEPTION_KEYS = 1000;

const DAY = 86_400_000;
const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2,4}(?:-[a-z]+){1,3}-\d{1,2}$/;
const KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]{1,128}$/;
const noNul = (s: string) => !s.includes("\0");

/** The start of `date` (YYYY-MM-DD, a real calendar day) in UTC, or null. */
export function parseDay(date: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return null;
  const at = new Date(`${date}T00:00:00Z`);
  return Number.isNaN(at.getTime()) || at.toISOString().slice(0, 10) !== date ? null : at;
}

/** The default expiry shown in forms: 90 days from `now`, as YYYY-MM-DD. */
export function defaultExpiryDay(now = new Date()): string {
  return new Date(now.getTime() + DEFAULT_EXCEPTION_DAYS * DAY).toISOString().slice(0, 10);
}

const list = <T extends z.ZodType<string, string>>(item: T, max: number, what: string) =>
  z
    .array(item)
    .max(max, `at most ${max} ${what}`)
    .transform((items) => [...new Set(items)]);

export const exceptionScopeSchema = z
  .object({
    keyArns: list(z.string().trim().regex(KEY_ARN, "not a KMS key ARN"), MAX_EXCEPTION_KEYS, "keys"),
    accounts: list(z.string().trim().regex(ACCOUNT, "an account id is 12 digits"), 1000, "accounts"),
    regions: list(z.string().trim().regex(REGION, "not an AWS region name"), 100, "regions"),
    tagKey: z
      .string()
      .max(TAG_KEY_MAX, `a tag key is at most ${TAG_KEY_MAX} characters`)
      .refine(noNul, "contains a NUL character")
      .nullable(),
    tagValues: list(
      z
        .string()
        .max(TAG_VALUE_MAX, `a tag value is at most ${TAG_VALUE_MAX} characters`)
        .refine(noNul, "contains a NUL character"),
      100,
      "tag values",
    ),
    aliasPrefix: z
      .string()
      .trim()
      .max(256, "an alias prefix is at most 256 characters")
      .refine(noNul, "contains a NUL character")
      .transform((p) => (p === "" ? null : p.startsWith("alias/") ? p : `alias/${p}`))
      .nullable(),
  })
  .superRefine((scope, ctx) => {
    const rule =
      scope.accounts.length || scope.regions.length || scope.tagKey !== null || scope.aliasPrefix !== null;
    if (!scope.keyArns.length && !rule)
      ctx.addIssue({
        code: "custom",
        path: ["keyArns"],
        message: "Choose the keys, or a rule: accounts, regions, a tag or an alias prefix.",
      });
    if (scope.tagValues.length && scope.tagKey === null)
      ctx.addIssue({ code: "custom", path: ["tagValues"], message: "Tag values need a tag key." });
  });

export type ExceptionScope = z.output<typeof exceptionScopeSchema>;

export const newExceptionSchema = z.object({
  kind: z.enum(EXCEPTION_KINDS, { error: "Kind must be accepted-risk or false-positive" }),
  justification: z
    .string()
    .trim()
    .min(1, "A justification is required")
    .max(4000, "A justification is at most 4,000 characters")
    .refine(noNul, "contains a NUL character"),
  ownerEmail: z
    .string()
    .trim()
    .toLowerCase()
    .min(1, "An owner is required")
    .max(254, "Email is too long")
    .refine(noNul, "contains a NUL character"),
  expires: z.string().trim().min(1, "An expiry date is required"),
  ticketUrl: z
    .string()
    .trim()
    .max(2000, "A ticket link is at most 2,000 characters")
    .refine(noNul, "contains a NUL character")
    .refine((u) => u === "" || isHttpUrl(u), "A ticket link must be an http:// or https:// address")
    .transform((u) => (u === "" ? null : u))
    .nullable(),
  scope: exceptionScopeSchema,
});
export type NewExceptionInput = z.input<typeof newExceptionSchema>;

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
  } catch {
    return false;
  }
}

/** The expiry instant of a day, or the sentence that says why it cannot be one. */
export function checkExpiry(day: string, now: Date): { at: Date } | { error: string } {
  const at = parseDay(day);
  if (!at) return { error: "The expiry must be a date such as 2027-03-01." };
  if (at.getTime() <= now.getTime()) return { error: "The expiry must be in the future." };
  if (at.getTime() - now.getTime() > MAX_EXCEPTION_DAYS * DAY)
    return { error: `An exception lasts at most ${MAX_EXCEPTION_DAYS} days: choose an earlier expiry.` };
  return { at };
}
