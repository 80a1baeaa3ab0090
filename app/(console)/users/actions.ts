"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { fieldErrorsOf } from "@/lib/actions/form-values";
import { clientIp, formOf, guarded, type ActionResult } from "@/lib/actions/result";
import { refusal, refusedForm } from "@/lib/actions/result-shape";
import { requireAdmin } from "@/lib/auth/session";
import { prisma } from "@/lib/db";
import { setAccountScope } from "@/lib/users/account-scope";
import { changeRole, resetPassword, setDisabled, type UserChange } from "@/lib/users/manage";
import { addUserFormSchema, passwordFormSchema, readAddUserForm, readPasswordForm } from "@/lib/users/forms";
import { roleSchema } from "@/lib/users/schema";
import { createUser, UserError, type Actor } from "@/lib/users/service";

// Every action: the caller must be an admin (checked here, whatever the page showed), the form is
// parsed before anything is written, and the change is audited with the caller's address.

const userId = z.string().min(1, "Choose a user.").max(64, "Choose a user.");

const text = (form: FormData, name: string) => {
  const value = formOf(form).get(name);
  return typeof value === "string" ? value : undefined;
};

const invalid = (error: z.ZodError): ActionResult => refusedForm(fieldErrorsOf(error.issues));

async function asAdmin(fn: (actor: Actor) => Promise<ActionResult>): Promise<ActionResult> {
  return guarded(async () => {
    const admin = await requireAdmin();
    try {
      return await fn({ actorId: admin.id, actorEmail: admin.email, ip: await clientIp() });
    } catch (err) {
      if (err instanceof UserError) return refusal(err.message, err.field);
      throw err;
    }
  });
}

/** After a change that ended the caller's own session, the sign-in page says why. */
function done(change: UserChange, actor: Actor, message: string, endsSessions = true): ActionResult {
  revalidatePath("/users");
  if (endsSessions && change.changed && change.user.id === actor.actorId) {
    redirect("/login?error=SessionExpired");
  }
  return { ok: true, message };
}

export async function addUserAction(_prev: ActionResult, form: FormData): Promise<ActionResult> {
  return asAdmin(async (actor) => {
    const parsed = addUserFormSchema.safeParse(readAddUserForm(formOf(form)));
    if (!parsed.success) return invalid(parsed.error);
    const { email, name, role, password } = parsed.data;
    const user = await createUser(prisma, { email, name, role, password }, actor);
    revalidatePath("/users");
    return {
      ok: true,
      message: `Added ${user.role} ${user.email}. Give them their password by a safe channel.`,
    };
  });
}

export async function changeRoleAction(_prev: ActionResult, form: FormData): Promise<ActionResult> {
  return asAdmin(async (actor) => {
    const parsed = z.object({ userId, role: roleSchema }).safeParse({
      userId: text(form, "userId"),
      role: text(form, "role"),
    });
    if (!parsed.success) return invalid(parsed.error);
    const change = await changeRole(prisma, parsed.data.userId, parsed.data.role, actor);
    const { email, role } = change.user;
    if (!change.changed)
      return { ok: true, message: `${email} already is ${role === "viewer" ? "a" : "an"} ${role}.` };
    const cleared = change.clearedScope ? " Their account scope was removed: admins see every account." : "";
    return done(
      change,
      actor,
      `${email} is now ${role === "viewer" ? "a" : "an"} ${role}; their sessions have ended.${cleared}`,
    );
  });
}

export async function setUserDisabledAction(_prev: ActionResult, form: FormData): Promise<ActionResult> {
  return asAdmin(async (actor) => {
    const parsed = z.object({ userId, disabled: z.enum(["true", "false"]) }).safeParse({
      userId: text(form, "userId"),
      disabled: text(form, "disabled"),
    });
    if (!parsed.success) return invalid(parsed.error);
    const disable = parsed.data.disabled === "true";
    const change = await setDisabled(prisma, parsed.data.userId, disable, actor);
    const email = change.user.email;
    if (!change.changed)
      return { ok: true, message: `${email} already is ${disable ? "disabled" : "enabled"}.` };
    if (!disable) return done(change, actor, `Enabled ${email}.`, false);
    return done(change, actor, `Disabled ${email}; their sessions have ended.`);
  });
}

export async function resetPasswordAction(_prev: ActionResult, form: FormData): Promise<ActionResult> {
  return asAdmin(async (actor) => {
    const parsed = z
      .object({ userId })
      .and(passwordFormSchema)
      .safeParse({ userId: text(form, "userId"), ...readPasswordForm(formOf(form)) });
    if (!parsed.success) return invalid(parsed.error);
    const change = await resetPassword(prisma, parsed.data.userId, parsed.data.password, actor);
    return done(change, actor, `Set a new password for ${change.user.email}; their sessions have ended.`);
  });
}

export async function setAccountScopeAction(_prev: ActionResult, form: FormData): Promise<ActionResult> {
  return asAdmin(async (actor) => {
    const parsed = z
      .object({
        userId,
        sees: z.enum(["all", "some"], { message: "Choose every account or only the checked ones." }),
        accounts: z.array(z.string()).max(1000, "Too many accounts."),
      })
      .refine((f) => f.sees === "some" || f.accounts.length === 0, {
        path: ["accounts"],
        message: "Every account was chosen, yet some are checked: choose “Only the checked accounts”.",
      })
      .safeParse({
        userId: text(form, "userId"),
        sees: text(form, "sees"),
        accounts: form.getAll("account"),
      });
    if (!parsed.success) return invalid(parsed.error);
    const { sees, accounts } = parsed.data;
    const change = await setAccountScope(prisma, parsed.data.userId, sees === "all" ? null : accounts, actor);
    revalidatePath("/users");
    const { email, scoped, accountIds } = change.user;
    return {
      ok: true,
      message: `${email} ${change.changed ? "now sees" : "already sees"} ${seen(scoped, accountIds)}.`,
    };
  });
}

function seen(scoped: boolean, accountIds: string[]): string {
  if (!scoped) return "every account";
  return accountIds.length ? `only ${accountIds.length} account(s)` : "no account";
}
