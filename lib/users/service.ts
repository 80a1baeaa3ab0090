import { randomBytes } from "node:crypto";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { hashPassword } from "@/lib/auth/password";
import { fromDbRole, newUserSchema, toDbRole, type NewUser, type RoleName } from "./schema";

export class UserError extends Error {}

export interface UserSummary {
  id: string;
  email: string;
  name: string | null;
  role: RoleName;
  disabled: boolean;
  lastLoginAt: Date | null;
  createdAt: Date;
}

export async function createUser(db: PrismaClient, input: NewUser): Promise<UserSummary> {
  const parsed = newUserSchema.safeParse(input);
  if (!parsed.success) throw new UserError(parsed.error.issues[0]?.message ?? "Invalid user");
  const { email, password, role, name } = parsed.data;
  const existing = await db.user.findUnique({ where: { email } });
  if (existing) throw new UserError(`A user with email ${email} already exists.`);
  const user = await db.user.create({
    data: { email, name, role: toDbRole(role), passwordHash: await hashPassword(password) },
  });
  return summarize(user);
}

export async function listUsers(db: PrismaClient): Promise<UserSummary[]> {
  const users = await db.user.findMany({ orderBy: { email: "asc" } });
  return users.map(summarize);
}

function summarize(u: {
  id: string;
  email: string;
  name: string | null;
  role: "ADMIN" | "VIEWER";
  disabled: boolean;
  lastLoginAt: Date | null;
  createdAt: Date;
}): UserSummary {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    role: fromDbRole(u.role),
    disabled: u.disabled,
    lastLoginAt: u.lastLoginAt,
    createdAt: u.createdAt,
  };
}

/** 24 random bytes, URL-safe: about 192 bits. */
export function generatePassword(): string {
  return randomBytes(24).toString("base64url");
}

export interface BootstrapResult {
  created: boolean;
  email?: string;
  /** Only when generated: shown once, never stored in plaintext. */
  generatedPassword?: string;
}

/** First run: create the first admin from ADMIN_EMAIL/ADMIN_PASSWORD, or with a generated password. */
export async function bootstrapAdmin(
  db: PrismaClient,
  opts: { email?: string; password?: string },
): Promise<BootstrapResult> {
  if ((await db.user.count()) > 0) return { created: false };
  const email = opts.email ?? "admin@kms-insights.local";
  const generatedPassword = opts.password ? undefined : generatePassword();
  await createUser(db, { email, password: opts.password ?? generatedPassword!, role: "admin" });
  return { created: true, email, generatedPassword };
}
