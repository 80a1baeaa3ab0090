"use client";

import { RadioChoices } from "@/components/forms/radio-choices";
import { CredentialFields, type CredentialFieldNames } from "./credential-fields";
import type { FieldErrors } from "@/lib/actions/form-values";
import type { RemediationMethod } from "@/lib/accounts/schema";

export interface RemediationValues {
  remediationMethod: RemediationMethod;
  remediationProfile: string;
  remediationRoleArn: string;
  hasRemediationExternalId: boolean;
}

export const NO_REMEDIATION: RemediationValues = {
  remediationMethod: "NONE",
  remediationProfile: "",
  remediationRoleArn: "",
  hasRemediationExternalId: false,
};

const REMEDIATION_FIELDS: CredentialFieldNames = {
  roleArn: "remediationRoleArn",
  externalId: "remediationExternalId",
  clearExternalId: "clearRemediationExternalId",
  profile: "remediationProfile",
  idPrefix: "remediation-",
  labelPrefix: "Remediation",
  rolePlaceholder: "arn:aws:iam::123456789012:role/KmsInsightsRemediation",
};

/** The account's separate write access for fixes: none (the default), a role, the chain or a profile. */
export function RemediationAccessFields({
  values,
  errors: e,
  method,
  onMethodChange,
}: {
  values: RemediationValues;
  errors: FieldErrors;
  method: RemediationMethod;
  onMethodChange: (method: RemediationMethod) => void;
}) {
  return (
    <fieldset className="grid gap-2">
      <legend className="mb-1 text-sm font-medium">Remediation access (used only to fix keys)</legend>
      <p className="text-xs text-muted-foreground">
        Scanning stays read-only. Without remediation access the console gives the AWS CLI commands to run
        yourself.
      </p>
      <RadioChoices
        name="remediationMethod"
        choices={[
          ["NONE", "None: CLI commands only"],
          ["ROLE", "Assume a separate write role (KmsInsightsRemediation)"],
          ["DEFAULT_CHAIN", "The default credential chain of this host"],
          ["PROFILE", "A named profile from this host's AWS config"],
        ]}
        value={method}
        onChange={onMethodChange}
        className="text-sm"
      />
      <CredentialFields
        method={method}
        names={REMEDIATION_FIELDS}
        values={{
          roleArn: values.remediationRoleArn,
          profile: values.remediationProfile,
          hasExternalId: values.hasRemediationExternalId,
        }}
        errors={e}
      />
    </fieldset>
  );
}
