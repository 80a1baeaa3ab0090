"use client";

import { useActionState, useState } from "react";
import { ActionMessage } from "@/components/forms/action-message";
import { SubmitButton } from "@/components/forms/submit-button";
import { FormField } from "@/components/ui/form-field";
import { initialResult } from "@/lib/actions/result-shape";
import { addUserAction } from "../actions";
import { PasswordFields } from "./password-fields";
import { RoleSelect } from "./role-select";

export function AddUserForm() {
  const [result, action, pending] = useActionState(addUserAction, initialResult);
  // Controlled, so that a refused form keeps what was typed (React resets uncontrolled fields).
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [seen, setSeen] = useState(result);
  if (result !== seen) {
    setSeen(result);
    if (result.ok) {
      setEmail("");
      setName("");
    }
  }
  const e = result.errors ?? {};
  return (
    <form action={action} className="grid max-w-2xl gap-4" aria-label="Add user">
      <div className="grid grid-cols-2 gap-4">
        <FormField
          id="new-user-email"
          label="Email"
          errors={e.email}
          name="email"
          type="email"
          autoComplete="off"
          required
          value={email}
          onChange={(ev) => setEmail(ev.target.value)}
        />
        <FormField
          id="new-user-name"
          label="Name (optional)"
          errors={e.name}
          name="name"
          autoComplete="off"
          value={name}
          onChange={(ev) => setName(ev.target.value)}
        />
      </div>
      <RoleSelect id="new-user-role" errors={e.role} />
      <PasswordFields idPrefix="new-user" errors={e} />
      <ActionMessage result={result} />
      <SubmitButton pending={pending} pendingLabel="Adding…">
        Add user
      </SubmitButton>
    </form>
  );
}
