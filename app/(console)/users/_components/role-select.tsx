import { FieldError } from "@/components/forms/action-message";
import { Label } from "@/components/ui/label";
import type { RoleName } from "@/lib/users/schema";

export const ROLE_HELP: Record<RoleName, string> = {
  viewer: "Viewer: browses and exports findings.",
  admin: "Admin: also manages accounts, users, settings and scans.",
};

export function RoleSelect({
  id,
  defaultValue = "viewer",
  errors,
}: {
  id: string;
  defaultValue?: RoleName;
  errors?: string[];
}) {
  return (
    <div className="grid max-w-xs gap-1.5">
      <Label htmlFor={id}>Role</Label>
      <select
        id={id}
        name="role"
        defaultValue={defaultValue}
        aria-invalid={!!errors?.length}
        aria-describedby={`${id}-help ${id}-error`}
        className="h-9 rounded-md border border-border bg-white px-2 text-sm"
      >
        <option value="viewer">Viewer</option>
        <option value="admin">Admin</option>
      </select>
      <p id={`${id}-help`} className="text-xs text-muted-foreground">
        {ROLE_HELP.viewer} {ROLE_HELP.admin}
      </p>
      <FieldError id={`${id}-error`} errors={errors} />
    </div>
  );
}
