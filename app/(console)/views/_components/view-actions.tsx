"use client";

import { useActionState, useEffect, useState } from "react";
import { ActionMessage } from "@/components/forms/action-message";
import { Button } from "@/components/ui/button";
import { FieldError } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { initialResult } from "@/lib/actions/result-shape";
import { VIEW_NAME_MAX } from "@/lib/saved-views/schema";
import { deleteViewAction, renameViewAction, setViewSharedAction } from "../actions";

interface ActionableView {
  id: string;
  name: string;
  shared: boolean;
}

/** Renaming one of the user's views: the name field, its error beside it, kept as typed. */
export function RenameViewForm({ view }: { view: ActionableView }) {
  const [result, action, pending] = useActionState(renameViewAction, initialResult);
  const [name, setName] = useState(view.name);
  const inputId = `rename-${view.id}`;
  const errorId = `${inputId}-error`;
  const errors = result.errors?.name;
  useEffect(() => {
    if (errors?.length) document.getElementById(inputId)?.focus();
  }, [errors, inputId]);
  return (
    <form action={action} className="grid max-w-xs gap-1" aria-label={`Rename ${view.name}`}>
      <input type="hidden" name="id" value={view.id} />
      <div className="flex items-center gap-2">
        <label htmlFor={inputId} className="sr-only">
          New name for {view.name}
        </label>
        <Input
          id={inputId}
          name="name"
          value={name}
          onChange={(ev) => setName(ev.target.value)}
          required
          maxLength={VIEW_NAME_MAX}
          autoComplete="off"
          aria-invalid={!!errors?.length}
          aria-describedby={errors?.length ? errorId : undefined}
          className="h-8 w-56"
        />
        <Button type="submit" size="sm" variant="outline" disabled={pending}>
          Rename
        </Button>
      </div>
      <FieldError id={errorId} errors={errors} />
      <ActionMessage result={result.errors ? { ok: false } : result} />
    </form>
  );
}

/** One button that calls `action` with the view's id (and `fields`), and says what came of it. */
function ViewButton({
  view,
  action: serverAction,
  fields = {},
  label,
  variant = "outline",
}: {
  view: ActionableView;
  action: typeof deleteViewAction;
  fields?: Record<string, string>;
  label: string;
  variant?: "outline" | "destructive";
}) {
  const [result, action, pending] = useActionState(serverAction, initialResult);
  return (
    <form action={action} className="grid max-w-xs justify-items-start gap-1">
      <input type="hidden" name="id" value={view.id} />
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <Button
        type="submit"
        size="sm"
        variant={variant}
        disabled={pending}
        aria-label={`${label} ${view.name}`}
      >
        {label}
      </Button>
      {/* Done shows in the row itself (the button's new label, the row gone): said, not shown. */}
      <div className={result.ok ? "sr-only" : undefined}>
        <ActionMessage result={result} />
      </div>
    </form>
  );
}

export function ShareViewButton({ view }: { view: ActionableView }) {
  return (
    <ViewButton
      view={view}
      action={setViewSharedAction}
      fields={{ shared: String(!view.shared) }}
      label={view.shared ? "Unshare" : "Share"}
    />
  );
}

export function DeleteViewButton({ view }: { view: ActionableView }) {
  return <ViewButton view={view} action={deleteViewAction} label="Delete" variant="destructive" />;
}
