"use client";

import { useActionState, useState } from "react";
import { ActionMessage, FieldError } from "@/components/forms/action-message";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { initialResult } from "@/lib/actions/result-shape";
import { saveAccountAction } from "../actions";

export interface AccountFormValues {
  id: string;
  name: string;
  regions: string[];
  accessMethod: "DEFAULT_CHAIN" | "PROFILE" | "ROLE";
  profile: string;
  roleArn: string;
  hasExternalId: boolean;
  endpointUrl: string;
}

const EMPTY: AccountFormValues = {
  id: "",
  name: "",
  regions: ["us-east-1"],
  accessMethod: "ROLE",
  profile: "",
  roleArn: "",
  hasExternalId: false,
  endpointUrl: "",
};

export function AccountForm({
  regions,
  initial,
}: {
  regions: readonly string[];
  initial?: AccountFormValues;
}) {
  const values = initial ?? EMPTY;
  const [result, action, pending] = useActionState(saveAccountAction, initialResult);
  const [method, setMethod] = useState(values.accessMethod);
  const e = result.errors ?? {};
  const field = (name: string) => ({ "aria-invalid": !!e[name], "aria-describedby": `${name}-error` });
  return (
    <form
      action={action}
      className="grid max-w-2xl gap-4"
      aria-label={initial ? "Edit account" : "Add account"}
    >
      <input type="hidden" name="mode" value={initial ? "edit" : "add"} />
      <div className="grid grid-cols-2 gap-4">
        <div className="grid gap-1.5">
          <Label htmlFor="account-id">Account id</Label>
          <Input
            id="account-id"
            name="id"
            defaultValue={values.id}
            readOnly={!!initial}
            inputMode="numeric"
            placeholder="123456789012"
            {...field("id")}
          />
          <FieldError id="id-error" errors={e.id} />
        </div>
        <div className="grid gap-1.5">
          <Label htmlFor="account-name">Name</Label>
          <Input
            id="account-name"
            name="name"
            defaultValue={values.name}
            placeholder="Production"
            {...field("name")}
          />
          <FieldError id="name-error" errors={e.name} />
        </div>
      </div>
      <fieldset className="grid gap-1.5">
        <legend className="mb-1 text-sm font-medium">Regions</legend>
        <div className="grid max-h-40 grid-cols-3 gap-1 overflow-y-auto rounded-md border border-border p-2 text-sm">
          {regions.map((r) => (
            <label key={r} className="flex items-center gap-2">
              <input type="checkbox" name="regions" value={r} defaultChecked={values.regions.includes(r)} />{" "}
              {r}
            </label>
          ))}
        </div>
        <FieldError id="regions-error" errors={e.regions} />
      </fieldset>
      <fieldset className="grid gap-2">
        <legend className="mb-1 text-sm font-medium">Access</legend>
        {(
          [
            ["ROLE", "Assume a role in the account (recommended)"],
            ["DEFAULT_CHAIN", "The default credential chain of this host"],
            ["PROFILE", "A named profile from this host's AWS config"],
          ] as const
        ).map(([m, label]) => (
          <label key={m} className="flex items-center gap-2 text-sm">
            <input
              type="radio"
              name="accessMethod"
              value={m}
              checked={method === m}
              onChange={() => setMethod(m)}
            />{" "}
            {label}
          </label>
        ))}
      </fieldset>
      {method === "ROLE" ? (
        <div className="grid grid-cols-2 gap-4">
          <div className="grid gap-1.5">
            <Label htmlFor="role-arn">Role ARN</Label>
            <Input
              id="role-arn"
              name="roleArn"
              defaultValue={values.roleArn}
              placeholder="arn:aws:iam::123456789012:role/KmsInsightsReadOnly"
              {...field("roleArn")}
            />
            <FieldError id="roleArn-error" errors={e.roleArn} />
          </div>
          <div className="grid gap-1.5">
            <Label htmlFor="external-id">
              External id {values.hasExternalId ? "(stored; leave blank to keep)" : "(optional)"}
            </Label>
            <Input
              id="external-id"
              name="externalId"
              type="password"
              autoComplete="off"
              {...field("externalId")}
            />
            <FieldError id="externalId-error" errors={e.externalId} />
            {values.hasExternalId ? (
              <label className="flex items-center gap-2 text-xs">
                <input type="checkbox" name="clearExternalId" /> Remove the stored external id
              </label>
            ) : null}
          </div>
        </div>
      ) : null}
      {method === "PROFILE" ? (
        <div className="grid gap-1.5">
          <Label htmlFor="profile">Profile</Label>
          <Input id="profile" name="profile" defaultValue={values.profile} {...field("profile")} />
          <FieldError id="profile-error" errors={e.profile} />
        </div>
      ) : null}
      <div className="grid gap-1.5">
        <Label htmlFor="endpoint-url">KMS/STS endpoint (optional, for KMS-compatible services)</Label>
        <Input
          id="endpoint-url"
          name="endpointUrl"
          defaultValue={values.endpointUrl}
          placeholder="https://kms.example.internal"
          {...field("endpointUrl")}
        />
        <FieldError id="endpointUrl-error" errors={e.endpointUrl} />
      </div>
      <ActionMessage result={result} />
      <div>
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : initial ? "Save account" : "Add account"}
        </Button>
      </div>
    </form>
  );
}
