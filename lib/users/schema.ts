import { z } from "zod";
import type { Role } from "@/lib/generated/prisma/enums";

/** Admin: everything. Analyst: what a viewer may, and create exceptions. Viewer: read only. */
export const ROLES = ["admin", "analyst", "viewer"] as const;
export type RoleName = (typeof ROLES)[number];

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, "Email is too long")
  .email("Enter a valid email address");

export const passwordSchema = z
  .string()
  .min(12, "Password must be at least 12 characters")
  .max(256, "Password must be at most 256 characters");

export const roleSchema = z.enum(ROLES, { message: "Role must be admin, analyst or viewer" });

export const newUserSchema = z.object({
  email: emailSchema,
  password: passwordSchema,
  role: roleSchema,
  name: z.string().trim().max(100).optional(),
});
export type NewUser = z.infer<typeof newUserSchema>;

export function toDbRole(role: RoleName): Role {
  return role.toUpperCase() as Role;
}
export function fromDbRole(role: Role): RoleName {
  return role.toLowerCase() as RoleName;
}
