"use client";

import { RadioChoices } from "@/components/forms/radio-choices";
import type { AccessMethod } from "@/lib/accounts/form";

/**
 * How the console reaches an AWS account (an account's scanning access, an organization's
 * management access): the three methods, in one fieldset; CredentialFields shows the chosen one's
 * inputs.
 */
export function AccessMethodChoices({
  legend,
  roleLabel,
  value,
  onChange,
}: {
  legend: string;
  /** The role choice's words: where the role is ("in the account"). */
  roleLabel: string;
  value: AccessMethod;
  onChange: (method: AccessMethod) => void;
}) {
  return (
    <fieldset className="grid gap-2">
      <legend className="mb-1 text-sm font-medium">{legend}</legend>
      <RadioChoices
        name="accessMethod"
        choices={[
          ["ROLE", roleLabel],
          ["DEFAULT_CHAIN", "The default credential chain of this host"],
          ["PROFILE", "A named profile from this host's AWS config"],
        ]}
        value={value}
        onChange={onChange}
        className="text-sm"
      />
    </fieldset>
  );
}
