import { FormField } from "@/components/ui/form-field";
import type { RoleName } from "@/lib/users/schema";

export const ROLE_HELP: Record<RoleName, string> = {
  viewer: "Viewer: browses and exports findings.",
  analyst: "Analyst: also proposes exceptions (an admin approves them).",
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
    <FormField
      id={id}
      label="Role"
      hint={`${ROLE_HELP.viewer} ${ROLE_HELP.analyst} ${ROLE_HELP.admin}`}
      errors={errors}
      className="max-w-xs"
    >
      {(control) => (
        <select
          {...control}
          name="role"
          defaultValue={defaultValue}
          className="h-9 rounded-md border border-border bg-background px-2 text-sm"
        >
          <option value="viewer">Viewer</option>
          <option value="analyst">Analyst</option>
          <option value="admin">Admin</option>
        </select>
      )}
    </FormField>
  );
}
