import { Button } from "@/components/ui/button";
import { FieldError } from "@/components/ui/form-field";
import { cn } from "@/lib/utils";

/**
 * A fieldset of checkboxes of one name (regions, accounts) with "Select all" and "Clear". Controlled:
 * the form keeps `value`. With errors, every box is marked invalid and described by the message, so
 * the form's focus lands on the first one.
 */
export function CheckboxList({
  id,
  legend,
  name,
  options,
  value,
  onChange,
  errors,
  disabled,
  className,
  listClassName = "grid-cols-2 sm:grid-cols-3",
}: {
  id: string;
  legend: string;
  name: string;
  /** [value, label] pairs, in the order shown. */
  options: readonly (readonly [string, React.ReactNode])[];
  value: readonly string[];
  onChange: (value: string[]) => void;
  errors?: string[];
  /** Greys out the list; a disabled fieldset's boxes are not sent. */
  disabled?: boolean;
  className?: string;
  /** The grid of the boxes (columns). */
  listClassName?: string;
}) {
  const invalid = !!errors?.length;
  const errorId = `${id}-error`;
  const chosen = new Set(value);
  const all = options.map(([v]) => v);
  const what = legend.toLowerCase();
  return (
    <fieldset id={id} disabled={disabled} className={cn("grid gap-1.5", className)}>
      <legend className="mb-1 text-sm font-medium">{legend}</legend>
      <div className="flex flex-wrap items-center gap-2 text-xs text-muted-foreground">
        <Button
          type="button"
          size="sm"
          variant="outline"
          aria-label={`Select all ${what}`}
          onClick={() => onChange(all)}
        >
          Select all
        </Button>
        <Button
          type="button"
          size="sm"
          variant="outline"
          aria-label={`Clear ${what}`}
          onClick={() => onChange([])}
        >
          Clear
        </Button>
        <span aria-live="polite">
          {all.filter((v) => chosen.has(v)).length} of {options.length} chosen
        </span>
      </div>
      <div
        className={cn(
          "grid max-h-40 gap-1 overflow-y-auto rounded-md border border-border p-2 text-sm",
          listClassName,
        )}
      >
        {options.map(([v, label]) => (
          <label key={v} className="flex items-center gap-2">
            <input
              type="checkbox"
              name={name}
              value={v}
              checked={chosen.has(v)}
              onChange={(ev) => onChange(ev.target.checked ? [...value, v] : value.filter((x) => x !== v))}
              aria-invalid={invalid}
              aria-describedby={invalid ? errorId : undefined}
            />
            {label}
          </label>
        ))}
      </div>
      <FieldError id={errorId} errors={errors} />
    </fieldset>
  );
}
