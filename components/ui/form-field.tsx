import * as React from "react";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { cn } from "@/lib/utils";

/** What a field's control needs to be labelled, described and marked invalid. */
export interface FieldControl {
  id: string;
  "aria-invalid": boolean;
  "aria-describedby": string | undefined;
}

type FormFieldProps = {
  id: string;
  label: React.ReactNode;
  /** Shown under the control and read with it. */
  hint?: React.ReactNode;
  /** The server's messages for this field: shown under it, and the control is marked invalid. */
  errors?: string[];
  /** Ids of other elements that describe the control, e.g. a message for the whole form. */
  describedBy?: string;
  className?: string;
  /** For a control other than a text input (a select): spread `control` onto it. */
  children?: (control: FieldControl) => React.ReactNode;
} & Omit<React.InputHTMLAttributes<HTMLInputElement>, "id" | "className" | "children">;

/**
 * A labelled form field: the label, the control (an `Input` with the other props, unless `children`
 * renders another one), an optional hint and the field's error messages, tied to the control by
 * `aria-describedby` and `aria-invalid`.
 */
export function FormField({
  id,
  label,
  hint,
  errors,
  describedBy,
  className,
  children,
  ...inputProps
}: FormFieldProps) {
  const invalid = !!errors?.length;
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = invalid ? `${id}-error` : undefined;
  const control: FieldControl = {
    id,
    "aria-invalid": invalid,
    "aria-describedby": [describedBy, hintId, errorId].filter(Boolean).join(" ") || undefined,
  };
  return (
    <div className={cn("grid content-start gap-1.5", className)}>
      <Label htmlFor={id}>{label}</Label>
      {children ? children(control) : <Input {...inputProps} {...control} />}
      {hint ? (
        <p id={hintId} className="text-xs text-muted-foreground">
          {hint}
        </p>
      ) : null}
      {errorId ? <FieldError id={errorId} errors={errors} /> : null}
    </div>
  );
}

/** A field's error messages; FormField shows them itself, a fieldset of checkboxes uses this. */
export function FieldError({ errors, id }: { errors?: string[]; id: string }) {
  if (!errors?.length) return null;
  return (
    <p id={id} className="text-xs text-destructive">
      {errors.join(" ")}
    </p>
  );
}
