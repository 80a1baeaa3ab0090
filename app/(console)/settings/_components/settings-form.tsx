"use client";

import { ActionMessage } from "@/components/forms/action-message";
import { SubmitButton } from "@/components/forms/submit-button";
import { useActionForm } from "@/components/forms/use-action-form";
import { FormField } from "@/components/ui/form-field";
import { saveSettingsAction } from "../actions";

interface Field {
  name: string;
  label: string;
  help: string;
  value: number;
  min: number;
  max: number;
}

interface Toggle {
  name: string;
  label: string;
  help: string;
  checked: boolean;
}

export function SettingsForm({ fields, toggles = [] }: { fields: Field[]; toggles?: Toggle[] }) {
  const { result, errors, pending, formProps } = useActionForm(saveSettingsAction);
  return (
    <form {...formProps} className="grid max-w-xl gap-5" aria-label="Settings">
      <ActionMessage result={result} />
      {fields.map((f) => (
        <FormField
          key={f.name}
          id={f.name}
          label={f.label}
          hint={f.help}
          errors={errors[f.name]}
          name={f.name}
          type="number"
          min={f.min}
          max={f.max}
          defaultValue={f.value}
        />
      ))}
      {toggles.map((t) => (
        <div key={t.name} className="grid gap-1">
          <label className="flex items-center gap-2 text-sm font-medium">
            <input
              type="checkbox"
              name={t.name}
              defaultChecked={t.checked}
              aria-describedby={`${t.name}-hint`}
            />
            {t.label}
          </label>
          <p id={`${t.name}-hint`} className="text-xs text-muted-foreground">
            {t.help}
          </p>
        </div>
      ))}
      <SubmitButton pending={pending}>Save settings</SubmitButton>
    </form>
  );
}
