import {
  fieldErrorsOf,
  formOptional,
  formText,
  formTexts,
  type FieldErrors,
} from "@/lib/actions/form-values";
import { accountInputSchema, type AccountInput, type RemediationMethod } from "./schema";

// The console's account form: what the browser posts, read the same way by the browser's check
// before sending and by the server action.

export type AccessMethod = "DEFAULT_CHAIN" | "PROFILE" | "ROLE";

export function readAccountForm(form: FormData): AccountInput {
  return {
    id: formOptional(form, "id") ?? "",
    name: formOptional(form, "name") ?? "",
    regionMode: formOptional(form, "regionMode") === "ALL_ENABLED" ? "ALL_ENABLED" : "LISTED",
    regions: formTexts(form, "regions"),
    // The schema refuses any other value.
    accessMethod: (formOptional(form, "accessMethod") ?? "DEFAULT_CHAIN") as AccessMethod,
    profile: formOptional(form, "profile"),
    roleArn: formOptional(form, "roleArn"),
    externalId: formOptional(form, "externalId"),
    endpointUrl: formOptional(form, "endpointUrl"),
    enabled: form.get("enabled") !== "off",
    remediationMethod: (formOptional(form, "remediationMethod") ?? "NONE") as RemediationMethod,
    remediationProfile: formOptional(form, "remediationProfile"),
    remediationRoleArn: formOptional(form, "remediationRoleArn"),
    remediationExternalId: formOptional(form, "remediationExternalId"),
  };
}

/** What the schema finds wrong with the posted account, by field (the server checks more). */
export function checkAccountForm(form: FormData): FieldErrors {
  const parsed = accountInputSchema.safeParse(readAccountForm(form));
  return parsed.success ? {} : fieldErrorsOf(parsed.error.issues);
}

/** A removal is confirmed by typing the account's id (the form's `id`) into `confirm`. */
export function checkAccountRemoval(form: FormData): FieldErrors {
  const id = formText(form, "id");
  return formText(form, "confirm").trim() === id ? {} : { confirm: [`Type ${id} to confirm the removal.`] };
}
