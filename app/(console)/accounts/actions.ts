"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import {
  AccountError,
  addAccount,
  removeAccount,
  removedMessage,
  setAccountEnabled,
  updateAccount,
} from "@/lib/accounts/service";
import { checkAccountRemoval, readAccountForm } from "@/lib/accounts/form";
import { hasErrors } from "@/lib/actions/form-values";
import { accountIdSchema } from "@/lib/accounts/schema";
import { testAccountAccess } from "@/lib/accounts/test-access";
import { clientIp, formOf, guarded, type ActionResult } from "@/lib/actions/result";
import { refusal, refusedForm } from "@/lib/actions/result-shape";
import type { Actor } from "@/lib/audit/log";
import { requireAdmin } from "@/lib/auth/session";
import { prisma } from "@/lib/db";
import { refreshRegionsOf } from "@/lib/organizations/regions";

export async function saveAccountAction(_prev: ActionResult, form: FormData): Promise<ActionResult> {
  return guarded(async () => {
    const actor = await adminActor();
    const input = readAccountForm(formOf(form));
    const editing = form.get("mode") === "edit";
    try {
      // The account and its audit entry commit together (lib/accounts/service.ts).
      if (editing)
        await updateAccount(
          prisma,
          {
            ...input,
            clearExternalId: form.get("clearExternalId") === "on",
            clearRemediationExternalId: form.get("clearRemediationExternalId") === "on",
          },
          actor,
        );
      else await addAccount(prisma, input, actor);
    } catch (err) {
      if (err instanceof AccountError)
        return hasErrors(err.fieldErrors) ? refusedForm(err.fieldErrors) : refusal(err.message);
      throw err;
    }
    // "All enabled regions": asked of the Account API now, with the access just saved.
    const discovered = await refreshRegionsOf(prisma, input.id);
    revalidatePath("/accounts");
    const regions = !discovered
      ? ""
      : discovered.error
        ? ` Its regions could not be read (${discovered.error}); it keeps ${discovered.regions.join(", ") || "no region"} until they can.`
        : ` Enabled regions: ${discovered.regions.join(", ") || "none"}.`;
    return {
      ok: true,
      message:
        (editing ? `Saved account ${input.id}.` : `Added account ${input.id}. Test its access, then scan.`) +
        regions,
    };
  });
}

/** The signed-in admin, as the audit log names them; anyone else is refused here. */
async function adminActor(): Promise<Actor> {
  const user = await requireAdmin();
  return { actorId: user.id, actorEmail: user.email, ip: await clientIp() };
}

const idOnly = z.object({ id: accountIdSchema });

async function withAccountId(form: FormData, fn: (id: string, actor: Actor) => Promise<ActionResult>) {
  return guarded(async () => {
    const actor = await adminActor();
    const parsed = idOnly.safeParse({ id: formOf(form).get("id") });
    if (!parsed.success) return { ok: false, message: "That is not an account id." };
    try {
      return await fn(parsed.data.id, actor);
    } catch (err) {
      if (err instanceof AccountError) return { ok: false, message: err.message };
      throw err;
    }
  });
}

export async function setAccountEnabledAction(_prev: ActionResult, form: FormData): Promise<ActionResult> {
  return withAccountId(form, async (id, actor) => {
    const enabled = form.get("enabled") === "true";
    await setAccountEnabled(prisma, id, enabled, actor);
    revalidatePath("/accounts");
    return { ok: true, message: `Account ${id} ${enabled ? "enabled" : "disabled"}.` };
  });
}

export async function removeAccountAction(_prev: ActionResult, form: FormData): Promise<ActionResult> {
  return withAccountId(form, async (id, actor) => {
    const unconfirmed = checkAccountRemoval(form);
    if (hasErrors(unconfirmed)) return refusedForm(unconfirmed, "Nothing was removed.");
    const { viewersLeftWithNone } = await removeAccount(prisma, id, actor);
    revalidatePath("/accounts");
    return { ok: true, message: removedMessage(id, viewersLeftWithNone) };
  });
}

export async function testAccessAction(_prev: ActionResult, form: FormData): Promise<ActionResult> {
  return withAccountId(form, async (id, actor) => {
    const result = await testAccountAccess(prisma, id, actor);
    revalidatePath("/accounts");
    if (!result.ok) return { ok: false, message: `Access to ${id} failed: ${result.message}` };
    return { ok: !result.warning, message: result.warning ?? result.message };
  });
}
