import { FormField } from "@/components/ui/form-field";

/** A new password typed twice; the server checks both (12+ characters, equal). */
export function PasswordFields({ idPrefix, errors }: { idPrefix: string; errors: Record<string, string[]> }) {
  const input = {
    type: "password",
    autoComplete: "new-password",
    required: true,
    minLength: 12,
    maxLength: 256,
  };
  return (
    <div className="grid grid-cols-2 gap-4">
      <FormField
        id={`${idPrefix}-password`}
        label="Password"
        hint="12 to 256 characters."
        errors={errors.password}
        name="password"
        {...input}
      />
      <FormField
        id={`${idPrefix}-repeat`}
        label="Repeat password"
        describedBy={`${idPrefix}-password-hint`}
        errors={errors.repeat}
        name="repeat"
        {...input}
      />
    </div>
  );
}
