import { FieldError } from "@/components/forms/action-message";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";

/** A new password typed twice; the server checks both (12+ characters, equal). */
export function PasswordFields({ idPrefix, errors }: { idPrefix: string; errors: Record<string, string[]> }) {
  const field = (name: string) => ({
    id: `${idPrefix}-${name}`,
    name,
    type: "password",
    autoComplete: "new-password",
    required: true,
    minLength: 12,
    maxLength: 256,
    "aria-invalid": !!errors[name],
    "aria-describedby": `${idPrefix}-${name}-error ${idPrefix}-password-hint`,
  });
  return (
    <div className="grid grid-cols-2 gap-4">
      <div className="grid content-start gap-1.5">
        <Label htmlFor={`${idPrefix}-password`}>Password</Label>
        <Input {...field("password")} />
        <p id={`${idPrefix}-password-hint`} className="text-xs text-muted-foreground">
          12 to 256 characters.
        </p>
        <FieldError id={`${idPrefix}-password-error`} errors={errors.password} />
      </div>
      <div className="grid content-start gap-1.5">
        <Label htmlFor={`${idPrefix}-repeat`}>Repeat password</Label>
        <Input {...field("repeat")} />
        <FieldError id={`${idPrefix}-repeat-error`} errors={errors.repeat} />
      </div>
    </div>
  );
}
