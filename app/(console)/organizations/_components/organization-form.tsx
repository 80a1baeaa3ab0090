"use client";

import { useState } from "react";
import { ActionMessage } from "@/components/forms/action-message";
import { SubmitButton } from "@/components/forms/submit-button";
import { useActionForm } from "@/components/forms/use-action-form";
import { FormField } from "@/components/ui/form-field";
import type { AccessMethod } from "@/lib/accounts/form";
import { checkOrganizationForm } from "@/lib/organizations/form";
import { AccessMethodChoices } from "../../accounts/_components/access-method-choices";
import { CredentialFields, type CredentialFieldNames } from "../../accounts/_components/credential-fields";
import { addOrganizationAction, updateOrganizationAction } from "../actions";

const MANAGEMENT_FIELDS: CredentialFieldNames = {
  roleArn: "roleArn",
  externalId: "externalId",
  clearExternalId: "clearExternalId",
  profile: "profile",
  idPrefix: "org-",
  labelPrefix: "",
  rolePlaceholder: "arn:aws:iam::111111111111:role/KmsInsightsOrganizationsReadOnly",
};

/** What the edit form starts from; external ids are never shown back, only whether one is stored. */
export interface OrganizationFormValues {
  id: string;
  name: string;
  accessMethod: AccessMethod;
  roleArn: string;
  profile: string;
  hasExternalId: boolean;
  memberRoleName: string;
  hasMemberExternalId: boolean;
  includeOus: string[];
  excludeOus: string[];
  regionAllow: string[];
  regionDeny: string[];
  endpointUrl: string;
}

const EMPTY: OrganizationFormValues = {
  id: "",
  name: "",
  accessMethod: "ROLE",
  roleArn: "",
  profile: "",
  hasExternalId: false,
  memberRoleName: "",
  hasMemberExternalId: false,
  includeOus: [],
  excludeOus: [],
  regionAllow: [],
  regionDeny: [],
  endpointUrl: "",
};

/**
 * Adds an organization, or with `initial` edits one: its management (or delegated administrator)
 * access, the member role, the rules.
 */
export function OrganizationForm({ initial }: { initial?: OrganizationFormValues }) {
  const values = initial ?? EMPTY;
  const {
    result,
    errors: e,
    pending,
    formProps,
  } = useActionForm(initial ? updateOrganizationAction : addOrganizationAction, {
    check: checkOrganizationForm,
    resetOnSuccess: !initial,
  });
  const [method, setMethod] = useState<AccessMethod>(values.accessMethod);
  const list = (items: string[]) => items.join(", ");
  return (
    <form
      {...formProps}
      onReset={() => setMethod(values.accessMethod)}
      className="grid max-w-2xl gap-4"
      aria-label={initial ? "Edit organization" : "Add organization"}
    >
      <ActionMessage result={result} />
      {initial ? <input type="hidden" name="id" value={initial.id} /> : null}
      <FormField
        id="org-name"
        label="Name"
        errors={e.name}
        name="name"
        defaultValue={values.name}
        placeholder="Acme"
      />
      <AccessMethodChoices
        legend="Access to the management account or a delegated administrator"
        roleLabel="Assume a role (recommended)"
        value={method}
        onChange={setMethod}
      />
      <CredentialFields
        method={method}
        names={MANAGEMENT_FIELDS}
        values={{ roleArn: values.roleArn, profile: values.profile, hasExternalId: values.hasExternalId }}
        errors={e}
      />
      <div className="grid gap-4 sm:grid-cols-2">
        <FormField
          id="org-member-role"
          label="Member role name"
          hint={
            initial
              ? "Assumed in each member account; a new name applies to the accounts it manages too."
              : "Assumed in each member account: arn:aws:iam::<account>:role/<name>."
          }
          errors={e.memberRoleName}
          name="memberRoleName"
          defaultValue={values.memberRoleName}
          placeholder="KmsInsightsReadOnly"
        />
        <div className="grid content-start gap-1.5">
          <FormField
            id="org-member-external-id"
            label={`Member role external id ${values.hasMemberExternalId ? "(stored; leave blank to keep)" : "(optional)"}`}
            errors={e.memberExternalId}
            name="memberExternalId"
            type="password"
            autoComplete="off"
          />
          {values.hasMemberExternalId ? (
            <label className="flex items-center gap-2 text-xs">
              <input type="checkbox" name="clearMemberExternalId" /> Remove the stored member external id
            </label>
          ) : null}
        </div>
      </div>
      <div className="grid gap-4 sm:grid-cols-2">
        <FormField
          id="org-include-ous"
          label="Include OUs (optional)"
          hint="OU or root ids, comma-separated; empty: every OU."
          errors={e.includeOus}
          name="includeOus"
          defaultValue={list(values.includeOus)}
          placeholder="ou-ab12-34cd56ef"
        />
        <FormField
          id="org-exclude-ous"
          label="Exclude OUs (optional)"
          hint="An exclude wins over an include."
          errors={e.excludeOus}
          name="excludeOus"
          defaultValue={list(values.excludeOus)}
          placeholder="ou-ab12-sandbox1"
        />
        <FormField
          id="org-region-allow"
          label="Allowed regions (optional)"
          hint="Empty: every enabled region."
          errors={e.regionAllow}
          name="regionAllow"
          defaultValue={list(values.regionAllow)}
          placeholder="us-east-1, eu-west-1"
        />
        <FormField
          id="org-region-deny"
          label="Denied regions (optional)"
          errors={e.regionDeny}
          name="regionDeny"
          defaultValue={list(values.regionDeny)}
          placeholder="ap-east-1"
        />
      </div>
      <FormField
        id="org-endpoint-url"
        label="Endpoint (optional, for a compatible service)"
        errors={e.endpointUrl}
        name="endpointUrl"
        defaultValue={values.endpointUrl}
      />
      <SubmitButton pending={pending}>{initial ? "Save organization" : "Add organization"}</SubmitButton>
    </form>
  );
}
