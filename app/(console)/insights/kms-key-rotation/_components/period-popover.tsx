"use client";

import { CalendarClock } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { Popover, PopoverContent, PopoverTrigger } from "@/components/ui/popover";
import { checkPeriod } from "@/lib/remediation/judge";

/**
 * The rotation period the commands and a fix plan set: the policy maximum ("") unless another one
 * from 90 days to it is chosen (checked as the server checks it).
 */
export function PeriodPopover({
  max,
  value,
  onChange,
}: {
  max: number;
  value: string;
  onChange: (period: string) => void;
}) {
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState(value);
  const [error, setError] = useState<string | null>(null);
  const apply = (text: string) => {
    const trimmed = text.trim();
    const checked = checkPeriod(trimmed === "" ? null : /^\d+$/.test(trimmed) ? Number(trimmed) : NaN, max);
    if (!checked.ok) {
      setError(checked.message);
      return;
    }
    setError(null);
    onChange(checked.periodDays === null ? "" : String(checked.periodDays));
    setOpen(false);
  };
  return (
    <Popover
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (next) {
          setDraft(value);
          setError(null);
        }
      }}
    >
      <PopoverTrigger asChild>
        <Button type="button" variant="outline" size="sm">
          <CalendarClock className="h-4 w-4" aria-hidden />
          {value ? `Period: ${value} days` : `Period: policy maximum (${max} days)`}
        </Button>
      </PopoverTrigger>
      <PopoverContent align="end" aria-label="Rotation period" className="grid gap-3">
        <FormField
          id="fix-period"
          label="Rotation period in days"
          hint={`From 90 to ${max}; empty for the policy maximum.`}
          errors={error ? [error] : undefined}
          type="number"
          inputMode="numeric"
          min={90}
          max={max}
          value={draft}
          placeholder={String(max)}
          onChange={(event) => setDraft(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === "Enter") {
              event.preventDefault();
              apply(draft);
            }
          }}
        />
        <div className="flex flex-wrap gap-2">
          <Button type="button" size="sm" onClick={() => apply(draft)}>
            Use this period
          </Button>
          <Button type="button" size="sm" variant="outline" onClick={() => apply("")}>
            Policy maximum
          </Button>
        </div>
      </PopoverContent>
    </Popover>
  );
}
