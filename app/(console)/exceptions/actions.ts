"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { hasErrors } from "@/lib/actions/form-values";
import { clientIp, formOf, formString, guarded, type ActionResult } from "@/lib/actions/result";
import { refusal, refusedForm } from "@/lib/actions/result-shape";
import { AuthError, requireUser } from "@/lib/auth/session";
import { prisma } from "@/lib/db";
import { checkExceptionForm, readExceptionForm, toExceptionInput } from "@/lib/exceptions/form";
import {
  approveException,
  createException,
  ExceptionError,
  revokeException,
  type ExceptionActor,
} from "@/lib/exceptions/service";
import { toDbRole } from "@/lib/users/schema";

// Every action: the signed-in user's role is checked first (whatever the page showed), then the
// form is read; the service checks the role again with the account scope and audits the change in
// its transaction. A refusal is a sentence, never an error page.

const REFUSED = {
  propose: "Only analysts and admins can create, change or revoke exceptions.",
  approve: "Only admins can approve exceptions.",
} as const;

/** The session user as the service's actor, or an AuthError (403) saying who may do this. */
async function actorFor(need: keyof typeof REFUSED): Promise<ExceptionActor> {
  const user = await requireUser();
  const allowed = need === "approve" ? user.role === "admin" : user.role !== "viewer";
  if (!allowed) throw new AuthError(403, REFUSED[need]);
  return {
    actorId: user.id,
    actorEmail: user.email,
    ip: await clientIp(),
    role: toDbRole(user.role),
    scope: user.accountScope,
  };
}

/** Runs `fn` as the actor; the service's refusals come back as the form's message. */
async function asActor(
  need: keyof typeof REFUSED,
  fn: (actor: ExceptionActor) => Promise<ActionResult>,
): Promise<ActionResult> {
  return guarded(async () => {
    const actor = await actorFor(need);
    try {
      return await fn(actor);
    } catch (err) {
      if (err instanceof ExceptionError) return refusal(err.message, err.field);
      throw err;
    }
  });
}

/** Creates an exception, or with `replaces` the next version of one; then opens it. */
export async function saveExceptionAction(_prev: ActionResult, form: FormData): Promise<ActionResult> {
  let created = "";
  const result = await asActor("propose", async (actor) => {
    const values = readExceptionForm(formOf(form));
    const errors = checkExceptionForm(values, new Date());
    if (hasErrors(errors)) return refusedForm(errors);
    const replaces = formString(form, "replaces");
    const x = await createException(prisma, toExceptionInput(values), actor, replaces ? { replaces } : {});
    revalidatePath("/", "layout");
    created = x.id;
    return { ok: true };
  });
  // Outside guarded: redirect() signals by throwing.
  if (created) redirect(`/exceptions/${encodeURIComponent(created)}?saved=1`);
  return result;
}

export async function approveExceptionAction(_prev: ActionResult, form: FormData): Promise<ActionResult> {
  return asActor("approve", async (actor) => {
    const id = formString(form, "id");
    if (!id) return { ok: false, message: "Choose an exception." };
    const { keys } = await approveException(prisma, id, actor);
    revalidatePath("/", "layout");
    return { ok: true, message: `Approved: the exception is in force and covers ${keysText(keys)} now.` };
  });
}

export async function revokeExceptionAction(_prev: ActionResult, form: FormData): Promise<ActionResult> {
  return asActor("propose", async (actor) => {
    const id = formString(form, "id");
    if (!id) return { ok: false, message: "Choose an exception." };
    const { keys } = await revokeException(prisma, id, actor);
    revalidatePath("/", "layout");
    return {
      ok: true,
      message: `Revoked: it no longer covers ${keysText(keys)}; the failing findings among them are open again.`,
    };
  });
}

const keysText = (n: number) => (n === 1 ? "1 key" : `${n} keys`);
