"use client";

import { useActionState } from "react";
import { ActionMessage, FieldError } from "@/components/forms/action-message";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { initialResult } from "@/lib/actions/result-shape";
import { saveSettingsAction } from "../actions";

interface Field {
  name: string;
  label: string;
  help: string;
  value: number;
  min: number;
  max: number;
}

export function SettingsForm({ fields }: { fields: Field[] }) {
  const [result, action, pending] = useActionState(saveSettingsAction, initialResult);
  return (
    <form action={action} className="grid max-w-xl gap-5">
      {fields.map((f) => (
        <div key={f.name} className="grid gap-1.5">
          <Label htmlFor={f.name}>{f.label}</Label>
          <Input
            id={f.name}
            name={f.name}
            type="number"
            min={f.min}
            max={f.max}
            defaultValue={f.value}
            aria-invalid={!!result.errors?.[f.name]}
            aria-describedby={`${f.name}-help ${f.name}-error`}
          />
          <p id={`${f.name}-help`} className="text-xs text-muted-foreground">
            {f.help}
          </p>
          <FieldError id={`${f.name}-error`} errors={result.errors?.[f.name]} />
        </div>
      ))}
      <ActionMessage result={result} />
      <div>
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : "Save settings"}
        </Button>
      </div>
    </form>
  );
}
