"use client";

import { useState } from "react";
import { ActionMessage } from "@/components/forms/action-message";
import { CheckboxList } from "@/components/forms/checkbox-list";
import { RadioChoices } from "@/components/forms/radio-choices";
import { SubmitButton } from "@/components/forms/submit-button";
import { useActionForm } from "@/components/forms/use-action-form";
import { FormField } from "@/components/ui/form-field";
import { checkAccountForm, type AccessMethod } from "@/lib/accounts/form";
import { saveAccountAction } from "../actions";
import { AccessMethodChoices } from "./access-method-choices";
import { CredentialFields, type CredentialFieldNames } from "./credential-fields";
import { NO_REMEDIATION, RemediationAccessFields, type RemediationValues } from "./remediation-access-fields";

export interface AccountFormValues extends RemediationValues {
  id: string;
  name: string;
  regions: string[];
  regionMode: "LISTED" | "ALL_ENABLED";
  accessMethod: AccessMethod;
  profile: string;
  roleArn: string;
  hasExternalId: boolean;
  endpointUrl: string;
}

const SCANNING_FIELDS: CredentialFieldNames = {
  roleArn: "roleArn",
  externalId: "externalId",
  clearExternalId: "clearExternalId",
  profile: "profile",
  idPrefix: "",
  labelPrefix: "",
  rolePlaceholder: "arn:aws:iam::123456789012:role/KmsInsightsReadOnly",
};

const EMPTY: AccountFormValues = {
  id: "",
  name: "",
  regions: ["us-east-1"],
  regionMode: "LISTED",
  accessMethod: "ROLE",
  profile: "",
  roleArn: "",
  hasExternalId: false,
  endpointUrl: "",
  ...NO_REMEDIATION,
};

export function AccountForm({
  regions,
  initial,
}: {
  regions: readonly string[];
  initial?: AccountFormValues;
}) {
  const values = initial ?? EMPTY;
  const {
    result,
    errors: e,
    pending,
    formProps,
  } = useActionForm(saveAccountAction, { check: checkAccountForm, resetOnSuccess: !initial });
  const [method, setMethod] = useState(values.accessMethod);
  const [chosenRegions, setRegions] = useState(values.regions);
  const [regionMode, setRegionMode] = useState(values.regionMode);
  const [fixMethod, setFixMethod] = useState(values.remediationMethod);
  return (
    <form
      {...formProps}
      onReset={() => {
        setMethod(values.accessMethod);
        setRegions(values.regions);
        setRegionMode(values.regionMode);
        setFixMethod(values.remediationMethod);
      }}
      className="grid max-w-2xl gap-4"
      aria-label={initial ? "Edit account" : "Add account"}
    >
      <ActionMessage result={result} />
      <input type="hidden" name="mode" value={initial ? "edit" : "add"} />
      <div className="grid grid-cols-2 gap-4">
        <FormField
          id="account-id"
          label="Account id"
          errors={e.id}
          name="id"
          defaultValue={values.id}
          readOnly={!!initial}
          inputMode="numeric"
          placeholder="123456789012"
        />
        <FormField
          id="account-name"
          label="Name"
          errors={e.name}
          name="name"
          defaultValue={values.name}
          placeholder="Production"
        />
      </div>
      <fieldset className="grid gap-2">
        <legend className="mb-1 text-sm font-medium">What to scan</legend>
        <RadioChoices
          name="regionMode"
          choices={[
            ["LISTED", "The regions chosen below"],
            [
              "ALL_ENABLED",
              "All enabled regions (read with account:ListRegions, refreshed before each scheduled scan)",
            ],
          ]}
          value={regionMode}
          onChange={setRegionMode}
          className="text-sm"
        />
      </fieldset>
      {regionMode === "LISTED" ? (
        <CheckboxList
          id="regions"
          legend="Regions"
          name="regions"
          options={regions.map((r) => [r, r] as const)}
          value={chosenRegions}
          onChange={setRegions}
          errors={e.regions}
        />
      ) : null}
      <AccessMethodChoices
        legend="Access"
        roleLabel="Assume a role in the account (recommended)"
        value={method}
        onChange={setMethod}
      />
      <CredentialFields
        method={method}
        names={SCANNING_FIELDS}
        values={{ roleArn: values.roleArn, profile: values.profile, hasExternalId: values.hasExternalId }}
        errors={e}
      />
      <RemediationAccessFields values={values} errors={e} method={fixMethod} onMethodChange={setFixMethod} />
      <FormField
        id="endpoint-url"
        label="KMS/STS endpoint (optional, for KMS-compatible services)"
        errors={e.endpointUrl}
        name="endpointUrl"
        defaultValue={values.endpointUrl}
        placeholder="https://kms.example.internal"
      />
      <SubmitButton pending={pending}>{initial ? "Save account" : "Add account"}</SubmitButton>
    </form>
  );
}
