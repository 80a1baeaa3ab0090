"use client";

import { useState } from "react";
import { ActionMessage } from "@/components/forms/action-message";
import { RadioChoices } from "@/components/forms/radio-choices";
import { SubmitButton } from "@/components/forms/submit-button";
import { useActionForm } from "@/components/forms/use-action-form";
import { FormField } from "@/components/ui/form-field";
import { checkOrganizationForm } from "@/lib/organizations/form";
import { CredentialFields, type CredentialFieldNames } from "../../accounts/_components/credential-fields";
import { addOrganizationAction } from "../actions";

const MANAGEMENT_FIELDS: CredentialFieldNames = {
  roleArn: "roleArn",
  externalId: "externalId",
  clearExternalId: "clearExternalId",
  profile: "profile",
  idPrefix: "org-",
  labelPrefix: "",
  rolePlaceholder: "arn:aws:iam::111111111111:role/KmsInsightsOrganizationsReadOnly",
};

type Method = "ROLE" | "DEFAULT_CHAIN" | "PROFILE";

/** Adds an organization: its management (or delegated administrator) access, the member role, the rules. */
export function OrganizationForm() {
  const {
    result,
    errors: e,
    pending,
    formProps,
  } = useActionForm(addOrganizationAction, {
    check: checkOrganizationForm,
    resetOnSuccess: true,
  });
  const [method, setMethod] = useState<Method>("ROLE");
  return (
    <form
      {...formProps}
      onReset={() => setMethod("ROLE")}
      className="grid max-w-2xl gap-4"
      aria-label="Add organization"
    >
      <ActionMessage result={result} />
      <FormField id="org-name" label="Name" errors={e.name} name="name" placeholder="Acme" />
      <fieldset className="grid gap-2">
        <legend className="mb-1 text-sm font-medium">
          Access to the management account or a delegated administrator
        </legend>
        <RadioChoices
          name="accessMethod"
          choices={[
            ["ROLE", "Assume a role (recommended)"],
            ["DEFAULT_CHAIN", "The default credential chain of this host"],
            ["PROFILE", "A named profile from this host's AWS config"],
          ]}
          value={method}
          onChange={setMethod}
          className="text-sm"
        />
      </fieldset>
      <CredentialFields
        method={method}
        names={MANAGEMENT_FIELDS}
        values={{ roleArn: "", profile: "", hasExternalId: false }}
        errors={e}
      />
      <div className="grid gap-4 sm:grid-cols-2">
        <FormField
          id="org-member-role"
          label="Member role name"
          hint="Assumed in each member account: arn:aws:iam::<account>:role/<name>."
          errors={e.memberRoleName}
          name="memberRoleName"
          placeholder="KmsInsightsReadOnly"
        />
        <FormField
          id="org-member-external-id"
          label="Member role external id (optional)"
          errors={e.memberExternalId}
          name="memberExternalId"
          type="password"
          autoComplete="off"
        />
      </div>
      <div className="grid gap-4 sm:grid-cols-2">
        <FormField
          id="org-include-ous"
          label="Include OUs (optional)"
          hint="OU or root ids, comma-separated; empty: every OU."
          errors={e.includeOus}
          name="includeOus"
          placeholder="ou-ab12-34cd56ef"
        />
        <FormField
          id="org-exclude-ous"
          label="Exclude OUs (optional)"
          hint="An exclude wins over an include."
          errors={e.excludeOus}
          name="excludeOus"
          placeholder="ou-ab12-sandbox1"
        />
        <FormField
          id="org-region-allow"
          label="Allowed regions (optional)"
          hint="Empty: every enabled region."
          errors={e.regionAllow}
          name="regionAllow"
          placeholder="us-east-1, eu-west-1"
        />
        <FormField
          id="org-region-deny"
          label="Denied regions (optional)"
          errors={e.regionDeny}
          name="regionDeny"
          placeholder="ap-east-1"
        />
      </div>
      <FormField
        id="org-endpoint-url"
        label="Endpoint (optional, for a compatible service)"
        errors={e.endpointUrl}
        name="endpointUrl"
      />
      <SubmitButton pending={pending}>Add organization</SubmitButton>
    </form>
  );
}
