import type { z } from "zod";
import type { ExceptionRow } from "./list";
import {
  checkExpiry,
  type ExceptionKindName,
  type NewExceptionInput,
  MAX_EXCEPTION_KEYS,
  newExceptionSchema,
} from "./schema";

// The console's exception form as plain values: what the page prefills (a key list from the URL,
// or the version being changed), what the browser posts, and how both become the service's input.
// Lists typed by hand (key ARNs, tag values) are one item a line.

export type ScopeMode = "keys" | "rule";

export interface ExceptionFormValues {
  kind: ExceptionKindName;
  justification: string;
  ownerEmail: string;
  /** YYYY-MM-DD */
  expires: string;
  ticketUrl: string;
  scopeMode: ScopeMode;
  keyArns: string;
  accounts: string[];
  regions: string[];
  tagKey: string;
  tagValues: string;
  aliasPrefix: string;
}

/** The form's field names, as the action's errors name them. */
export type ExceptionField = keyof ExceptionFormValues;

export function emptyExceptionForm(ownerEmail: string, expires: string): ExceptionFormValues {
  return {
    kind: "accepted-risk",
    justification: "",
    ownerEmail,
    expires,
    ticketUrl: "",
    scopeMode: "keys",
    keyArns: "",
    accounts: [],
    regions: [],
    tagKey: "",
    tagValues: "",
    aliasPrefix: "",
  };
}

/** The form prefilled with the keys of repeated `?key=` parameters (from a key page or the table). */
export function withKeys(values: ExceptionFormValues, keys: string[]): ExceptionFormValues {
  const arns = [...new Set(keys.map((k) => k.trim()).filter(Boolean))].slice(0, MAX_EXCEPTION_KEYS);
  return arns.length ? { ...values, scopeMode: "keys", keyArns: arns.join("\n") } : values;
}

/** The form prefilled from the version it changes (its expiry too: the author moves it if needed). */
export function fromVersion(x: ExceptionRow): ExceptionFormValues {
  const keys = x.scope.keyArns.length > 0;
  return {
    kind: x.kind,
    justification: x.justification,
    ownerEmail: x.ownerEmail,
    expires: x.expiresAt.toISOString().slice(0, 10),
    ticketUrl: x.ticketUrl ?? "",
    scopeMode: keys ? "keys" : "rule",
    keyArns: x.scope.keyArns.join("\n"),
    // A key list keeps its keys' accounts and regions too: they are not part of what was chosen.
    accounts: keys ? [] : x.scope.accounts,
    regions: keys ? [] : x.scope.regions,
    tagKey: x.scope.tagKey ?? "",
    tagValues: x.scope.tagValues.join("\n"),
    aliasPrefix: x.scope.aliasPrefix ?? "",
  };
}

const lines = (text: string) =>
  text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);

/** What the browser posted, as form values (anything missing or odd becomes empty). */
export function readExceptionForm(form: FormData): ExceptionFormValues {
  const text = (name: string) => {
    const v = form.get(name);
    return typeof v === "string" ? v : "";
  };
  const all = (name: string) => form.getAll(name).filter((v): v is string => typeof v === "string");
  return {
    // The schema refuses a kind that is neither.
    kind: text("kind") as ExceptionKindName,
    justification: text("justification"),
    ownerEmail: text("ownerEmail"),
    expires: text("expires"),
    ticketUrl: text("ticketUrl"),
    scopeMode: text("scopeMode") === "rule" ? "rule" : "keys",
    keyArns: text("keyArns"),
    accounts: all("accounts"),
    regions: all("regions"),
    tagKey: text("tagKey"),
    tagValues: text("tagValues"),
    aliasPrefix: text("aliasPrefix"),
  };
}

/** The service's input: only the chosen kind of scope is sent, the other left empty. */
export function toExceptionInput(v: ExceptionFormValues): NewExceptionInput {
  const rule = v.scopeMode === "rule";
  return {
    kind: v.kind,
    justification: v.justification,
    ownerEmail: v.ownerEmail,
    expires: v.expires,
    ticketUrl: v.ticketUrl,
    scope: {
      keyArns: rule ? [] : lines(v.keyArns),
      accounts: rule ? v.accounts : [],
      regions: rule ? v.regions : [],
      tagKey: rule && v.tagKey.trim() !== "" ? v.tagKey.trim() : null,
      tagValues: rule ? lines(v.tagValues) : [],
      aliasPrefix: rule ? v.aliasPrefix : null,
    },
  };
}

/**
 * The schema's complaints, each under the field it is about. A complaint about one item of a list
 * names the item ("…: not a KMS key ARN"); one about the scope as a whole goes under the key list
 * or the rule, whichever was chosen.
 */
export function fieldErrors(
  issues: z.core.$ZodIssue[],
  input: NewExceptionInput,
  mode: ScopeMode,
): Partial<Record<ExceptionField, string[]>> {
  const errors: Partial<Record<ExceptionField, string[]>> = {};
  for (const issue of issues) {
    const [head, sub, index] = issue.path;
    let field = (head === "scope" ? sub : head) as ExceptionField | undefined;
    if (field === undefined) continue;
    if (head === "scope" && field === "keyArns" && mode === "rule") field = "accounts";
    let message = issue.message;
    if (head === "scope" && typeof index === "number") {
      const list = input.scope[sub as keyof NewExceptionInput["scope"]];
      const item = Array.isArray(list) ? list[index] : undefined;
      if (item !== undefined) message = `${item}: ${message}`;
    }
    (errors[field] ??= []).push(message);
  }
  return errors;
}

/**
 * Everything the form's own values can say is wrong, by field: the schema and the expiry's limits
 * on `now`. The browser runs it before sending, the action again on what arrived; what needs the
 * database (unknown keys, the owner, the accounts the user sees) is the service's to say.
 */
export function checkExceptionForm(
  values: ExceptionFormValues,
  now: Date,
): Partial<Record<ExceptionField, string[]>> {
  const input = toExceptionInput(values);
  const parsed = newExceptionSchema.safeParse(input);
  const errors = parsed.success ? {} : fieldErrors(parsed.error.issues, input, values.scopeMode);
  const expiry = checkExpiry(values.expires.trim(), now);
  if ("error" in expiry && !errors.expires) errors.expires = [expiry.error];
  return errors;
}
