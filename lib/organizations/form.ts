import { fieldErrorsOf, formOptional, formText, type FieldErrors } from "@/lib/actions/form-values";
import { organizationInputSchema, type OrganizationInput } from "./schema";
import type { OrganizationUpdate } from "./service";

// The console's organization form, read the same way by the browser's check and the server action.
// Lists (OU ids, regions) are typed comma- or space-separated.

const listOf = (form: FormData, name: string) =>
  formText(form, name)
    .split(/[\s,]+/)
    .filter(Boolean);

export function readOrganizationForm(form: FormData): OrganizationInput {
  return {
    name: formOptional(form, "name") ?? "",
    // The schema refuses any other value.
    accessMethod: (formOptional(form, "accessMethod") ??
      "DEFAULT_CHAIN") as OrganizationInput["accessMethod"],
    profile: formOptional(form, "profile"),
    roleArn: formOptional(form, "roleArn"),
    externalId: formOptional(form, "externalId"),
    endpointUrl: formOptional(form, "endpointUrl"),
    memberRoleName: formOptional(form, "memberRoleName") ?? "",
    memberExternalId: formOptional(form, "memberExternalId"),
    includeOus: listOf(form, "includeOus"),
    excludeOus: listOf(form, "excludeOus"),
    regionAllow: listOf(form, "regionAllow"),
    regionDeny: listOf(form, "regionDeny"),
  };
}

/** The edit form: the same fields, and the boxes that remove a stored external id. */
export function readOrganizationUpdate(form: FormData): OrganizationUpdate {
  return {
    ...readOrganizationForm(form),
    clearExternalId: form.get("clearExternalId") === "on",
    clearMemberExternalId: form.get("clearMemberExternalId") === "on",
  };
}

/** What the schema finds wrong with the posted organization, by field (the server checks more). */
export function checkOrganizationForm(form: FormData): FieldErrors {
  const parsed = organizationInputSchema.safeParse(readOrganizationForm(form));
  return parsed.success ? {} : fieldErrorsOf(parsed.error.issues);
}

/** Removing asks what becomes of the accounts: `accounts` is "keep" or "remove". */
export function checkOrganizationRemoval(form: FormData): FieldErrors {
  const choice = formText(form, "accounts");
  return choice === "keep" || choice === "remove"
    ? {}
    : { accounts: ["Choose whether to keep its accounts or remove them."] };
}
