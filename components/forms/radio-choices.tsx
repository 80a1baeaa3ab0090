import { cn } from "@/lib/utils";

/** One radio button per choice, each inside its label; put them in a fieldset with a legend. */
export function RadioChoices<T extends string>({
  name,
  choices,
  value,
  onChange,
  className,
}: {
  name: string;
  /** [value, label] pairs, in the order shown. */
  choices: readonly (readonly [T, string])[];
  value: T;
  onChange: (value: T) => void;
  className?: string;
}) {
  return choices.map(([choice, label]) => (
    <label key={choice} className={cn("flex items-center gap-2", className)}>
      <input
        type="radio"
        name={name}
        value={choice}
        checked={value === choice}
        onChange={() => onChange(choice)}
      />
      {label}
    </label>
  ));
}
