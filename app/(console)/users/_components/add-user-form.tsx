"use client";

import { useActionState, useState } from "react";
import { ActionMessage, FieldError } from "@/components/forms/action-message";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
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
        <div className="grid gap-1.5">
          <Label htmlFor="new-user-email">Email</Label>
          <Input
            id="new-user-email"
            name="email"
            type="email"
            autoComplete="off"
            required
            value={email}
            onChange={(ev) => setEmail(ev.target.value)}
            aria-invalid={!!e.email}
            aria-describedby="new-user-email-error"
          />
          <FieldError id="new-user-email-error" errors={e.email} />
        </div>
        <div className="grid gap-1.5">
          <Label htmlFor="new-user-name">Name (optional)</Label>
          <Input
            id="new-user-name"
            name="name"
            autoComplete="off"
            value={name}
            onChange={(ev) => setName(ev.target.value)}
            aria-invalid={!!e.name}
            aria-describedby="new-user-name-error"
          />
          <FieldError id="new-user-name-error" errors={e.name} />
        </div>
      </div>
      <RoleSelect id="new-user-role" errors={e.role} />
      <PasswordFields idPrefix="new-user" errors={e} />
      <ActionMessage result={result} />
      <div>
        <Button type="submit" disabled={pending}>
          {pending ? "Adding…" : "Add user"}
        </Button>
      </div>
    </form>
  );
}
