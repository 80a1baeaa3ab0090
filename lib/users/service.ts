import type { Role } from "@/lib/generated/prisma/enums";
import { randomBytes } from "node:crypto";
import { audit, type Actor } from "@/lib/audit/log";
import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import { hashPassword } from "@/lib/auth/password";
import { emailSchema, fromDbRole, newUserSchema, toDbRole, type NewUser, type RoleName } from "./schema";

/**
 * A refusal a person can act on: shown as is in the console and the CLI; `field` names the form
 * field it is about, when it is about one.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly field?: "email",
  ) {
    super(message);
  }
}

export type { Actor };

export interface UserSummary {
  id: string;
  email: string;
  name: string | null;
  role: RoleName;
  disabled: boolean;
  /** True: a viewer that sees only `accountIds` (none when empty). False: every account. */
  scoped: boolean;
  accountIds: string[];
  lastLoginAt: Date | null;
  createdAt: Date;
}

export const userWithScope = {
  accountScopes: { select: { accountId: true }, orderBy: { accountId: "asc" } },
} as const;

export async function createUser(db: PrismaClient, input: NewUser, actor?: Actor): Promise<UserSummary> {
  const parsed = newUserSchema.safeParse(input);
  if (!parsed.success) throw new UserError(parsed.error.issues[0]?.message ?? "Invalid user");
  const { email, password, role, name } = parsed.data;
  const taken = `A user with email ${email} already exists.`;
  if (await db.user.findUnique({ where: { email } })) throw new UserError(taken, "email");
  const passwordHash = await hashPassword(password);
  try {
    const user = await db.$transaction(async (tx) => {
      const created = await tx.user.create({
        data: { email, name, role: toDbRole(role), passwordHash },
        include: userWithScope,
      });
      if (actor) await audit(tx, { ...actor, action: "user.create", target: email, details: { role } });
      return created;
    });
    return summarize(user);
  } catch (err) {
    // Two admins adding the same email at once: the unique index decides.
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002")
      throw new UserError(taken, "email");
    throw err;
  }
}

export async function listUsers(db: PrismaClient): Promise<UserSummary[]> {
  const users = await db.user.findMany({ orderBy: { email: "asc" }, include: userWithScope });
  return users.map(summarize);
}

/** The id of the user with this email (the CLI names users by email). */
export async function findUserId(db: PrismaClient, email: string): Promise<string> {
  const parsed = emailSchema.safeParse(email);
  if (!parsed.success) throw new UserError(`${JSON.stringify(email)}: ${parsed.error.issues[0]?.message}.`);
  const user = await db.user.findUnique({ where: { email: parsed.data }, select: { id: true } });
  if (!user) throw new UserError(`No user has the email ${parsed.data}.`);
  return user.id;
}

export function summarize(u: {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  disabled: boolean;
  scoped: boolean;
  lastLoginAt: Date | null;
  createdAt: Date;
  accountScopes: { accountId: string }[];
}): UserSummary {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    role: fromDbRole(u.role),
    disabled: u.disabled,
    scoped: u.scoped,
    accountIds: u.accountScopes.map((s) => s.accountId),
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
  /** Only when generated: shown once by `npm start`, and kept in a file only its owner reads (lib/server/first-admin-file.ts). */
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
  await createUser(
    db,
    { email, password: opts.password ?? generatedPassword!, role: "admin" },
    { actorEmail: "system" },
  );
  return { created: true, email, generatedPassword };
}
