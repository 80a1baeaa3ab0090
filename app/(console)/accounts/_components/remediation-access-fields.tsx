"use client";

import { RadioChoices } from "@/components/forms/radio-choices";
import { FormField } from "@/components/ui/form-field";
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
      {method === "ROLE" ? (
        <div className="grid gap-4 sm:grid-cols-2">
          <FormField
            id="remediation-role-arn"
            label="Remediation role ARN"
            errors={e.remediationRoleArn}
            name="remediationRoleArn"
            defaultValue={values.remediationRoleArn}
            placeholder="arn:aws:iam::123456789012:role/KmsInsightsRemediation"
          />
          <div className="grid content-start gap-1.5">
            <FormField
              id="remediation-external-id"
              label={`Remediation external id ${values.hasRemediationExternalId ? "(stored; leave blank to keep)" : "(optional)"}`}
              errors={e.remediationExternalId}
              name="remediationExternalId"
              type="password"
              autoComplete="off"
            />
            {values.hasRemediationExternalId ? (
              <label className="flex items-center gap-2 text-xs">
                <input type="checkbox" name="clearRemediationExternalId" /> Remove the stored remediation
                external id
              </label>
            ) : null}
          </div>
        </div>
      ) : null}
      {method === "PROFILE" ? (
        <FormField
          id="remediation-profile"
          label="Remediation profile"
          errors={e.remediationProfile}
          name="remediationProfile"
          defaultValue={values.remediationProfile}
        />
      ) : null}
    </fieldset>
  );
}
