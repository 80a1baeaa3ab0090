"use server";

import { revalidatePath } from "next/cache";
import { formText } from "@/lib/actions/form-values";
import { clientIp, formOf, guarded, type ActionResult } from "@/lib/actions/result";
import { refusal, refusedForm } from "@/lib/actions/result-shape";
import { hasErrors } from "@/lib/actions/form-values";
import { checkTokenForm } from "@/lib/api/token-rules";
import { createToken, revokeToken, TokenError } from "@/lib/api/tokens";
import { requireUser } from "@/lib/auth/session";
import { prisma } from "@/lib/db";

// API tokens: every signed-in user creates and revokes their own; an admin revokes anyone's. The
// service checks ownership again and audits each change in its transaction.

/** A created token's answer: the secret, shown once by the form and never again. */
export interface TokenCreated extends ActionResult {
  secret?: string;
}

export async function createTokenAction(_prev: ActionResult, form: FormData): Promise<TokenCreated> {
  let secret: string | undefined;
  const result = await guarded(async () => {
    const user = await requireUser();
    const errors = checkTokenForm(formOf(form));
    if (hasErrors(errors)) return refusedForm(errors);
    try {
      const created = await createToken(
        prisma,
        { userId: user.id, name: formText(form, "name"), expires: formText(form, "expires").trim() || null },
        { actorId: user.id, actorEmail: user.email, ip: await clientIp() },
      );
      secret = created.secret;
      revalidatePath("/tokens");
      return {
        ok: true,
        message: `Created "${created.token.name}". Copy its secret now: it is not shown again.`,
      };
    } catch (err) {
      if (err instanceof TokenError) return refusal(err.message, err.field);
      throw err;
    }
  });
  return secret ? { ...result, secret } : result;
}

export async function revokeTokenAction(_prev: ActionResult, form: FormData): Promise<ActionResult> {
  return guarded(async () => {
    const user = await requireUser();
    try {
      const token = await revokeToken(prisma, formText(formOf(form), "id"), {
        actorId: user.id,
        actorEmail: user.email,
        ip: await clientIp(),
        userId: user.id,
        asAdmin: user.role === "admin",
      });
      revalidatePath("/tokens");
      return { ok: true, message: `Revoked "${token.name}": it no longer works.` };
    } catch (err) {
      if (err instanceof TokenError) return refusal(err.message);
      throw err;
    }
  });
}
