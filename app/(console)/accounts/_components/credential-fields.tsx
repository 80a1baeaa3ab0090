"use client";

import { FormField } from "@/components/ui/form-field";
import type { FieldErrors } from "@/lib/actions/form-values";

/** The fields of one access: a role (its ARN and external id) or a profile, by the chosen method. */
export interface CredentialFieldNames {
  /** Field names and ids, and how the labels begin ("" for the scanning access). */
  roleArn: string;
  externalId: string;
  clearExternalId: string;
  profile: string;
  idPrefix: string;
  labelPrefix: string;
  rolePlaceholder: string;
}

/**
 * The inputs of the chosen access method: a role's ARN and external id (stored encrypted, never
 * shown back: blank keeps it, a checkbox removes it), or a profile's name. Scanning access and
 * remediation access use the same inputs under their own names.
 */
export function CredentialFields({
  method,
  names: n,
  values,
  errors: e,
}: {
  method: string;
  names: CredentialFieldNames;
  values: { roleArn: string; profile: string; hasExternalId: boolean };
  errors: FieldErrors;
}) {
  const label = (text: string) => (n.labelPrefix ? `${n.labelPrefix} ${text.toLowerCase()}` : text);
  if (method === "PROFILE") {
    return (
      <FormField
        id={`${n.idPrefix}profile`}
        label={label("Profile")}
        errors={e[n.profile]}
        name={n.profile}
        defaultValue={values.profile}
      />
    );
  }
  if (method !== "ROLE") return null;
  return (
    <div className="grid gap-4 sm:grid-cols-2">
      <FormField
        id={`${n.idPrefix}role-arn`}
        label={n.labelPrefix ? `${n.labelPrefix} role ARN` : "Role ARN"}
        errors={e[n.roleArn]}
        name={n.roleArn}
        defaultValue={values.roleArn}
        placeholder={n.rolePlaceholder}
      />
      <div className="grid content-start gap-1.5">
        <FormField
          id={`${n.idPrefix}external-id`}
          label={`${label("External id")} ${values.hasExternalId ? "(stored; leave blank to keep)" : "(optional)"}`}
          errors={e[n.externalId]}
          name={n.externalId}
          type="password"
          autoComplete="off"
        />
        {values.hasExternalId ? (
          <label className="flex items-center gap-2 text-xs">
            <input type="checkbox" name={n.clearExternalId} /> Remove the stored{" "}
            {n.labelPrefix ? `${n.labelPrefix.toLowerCase()} external id` : "external id"}
          </label>
        ) : null}
      </div>
    </div>
  );
}
