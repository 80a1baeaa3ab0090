"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { hasErrors } from "@/lib/actions/form-values";
import { clientIp, formOf, guarded, type ActionResult } from "@/lib/actions/result";
import { refusal, refusedForm } from "@/lib/actions/result-shape";
import type { Actor } from "@/lib/audit/log";
import { requireAdmin } from "@/lib/auth/session";
import { scanSender } from "@/lib/collector/web-queue";
import { prisma } from "@/lib/db";
import {
  checkOrganizationRemoval,
  readOrganizationForm,
  readOrganizationUpdate,
} from "@/lib/organizations/form";
import { enqueueOrgSync } from "@/lib/organizations/queue";
import { isOrgSyncRunning, syncRunningMessage } from "@/lib/organizations/sync-lock";
import {
  addOrganization,
  OrganizationError,
  removeOrganization,
  updateOrganization,
} from "@/lib/organizations/service";

/** The signed-in admin, as the audit log names them; anyone else is refused here. */
async function adminActor(): Promise<Actor> {
  const user = await requireAdmin();
  return { actorId: user.id, actorEmail: user.email, ip: await clientIp() };
}

export async function addOrganizationAction(_prev: ActionResult, form: FormData): Promise<ActionResult> {
  return guarded(async () => {
    const actor = await adminActor();
    const input = readOrganizationForm(formOf(form));
    let org;
    try {
      // The organization and its audit entry commit together (lib/organizations/service.ts).
      org = await addOrganization(prisma, input, actor);
    } catch (err) {
      if (err instanceof OrganizationError)
        return hasErrors(err.fieldErrors) ? refusedForm(err.fieldErrors) : refusal(err.message);
      throw err;
    }
    await enqueueOrgSync(await scanSender(), { organizationId: org.id, actor });
    revalidatePath("/organizations");
    return { ok: true, message: `Added organization ${org.name}. Its first sync has started.` };
  });
}

export async function updateOrganizationAction(_prev: ActionResult, form: FormData): Promise<ActionResult> {
  return guarded(async () => {
    const actor = await adminActor();
    const parsed = idOnly.safeParse({ id: formOf(form).get("id") });
    if (!parsed.success) return { ok: false, message: "That is not an organization id." };
    let org;
    try {
      // The changes, the member accounts' new role and the audit entry commit together.
      org = await updateOrganization(prisma, parsed.data.id, readOrganizationUpdate(form), actor);
    } catch (err) {
      if (err instanceof OrganizationError)
        return hasErrors(err.fieldErrors) ? refusedForm(err.fieldErrors) : refusal(err.message);
      throw err;
    }
    revalidatePath("/organizations");
    revalidatePath("/accounts");
    return { ok: true, message: `Saved organization ${org.name}. Its rules apply from the next sync.` };
  });
}

const idOnly = z.object({ id: z.string().min(1).max(64) });

async function withOrganizationId(form: FormData, fn: (id: string, actor: Actor) => Promise<ActionResult>) {
  return guarded(async () => {
    const actor = await adminActor();
    const parsed = idOnly.safeParse({ id: formOf(form).get("id") });
    if (!parsed.success) return { ok: false, message: "That is not an organization id." };
    try {
      return await fn(parsed.data.id, actor);
    } catch (err) {
      if (err instanceof OrganizationError) return { ok: false, message: err.message };
      throw err;
    }
  });
}

export async function syncNowAction(_prev: ActionResult, form: FormData): Promise<ActionResult> {
  return withOrganizationId(form, async (id, actor) => {
    const org = await prisma.organization.findUnique({ where: { id }, select: { name: true } });
    if (!org) return { ok: false, message: "That organization is not configured." };
    if (await isOrgSyncRunning(prisma, id)) return { ok: false, message: syncRunningMessage(org.name) };
    await enqueueOrgSync(await scanSender(), { organizationId: id, actor });
    revalidatePath("/organizations");
    return { ok: true, message: `Sync of ${org.name} started; reload to see its result.` };
  });
}

export async function removeOrganizationAction(_prev: ActionResult, form: FormData): Promise<ActionResult> {
  return withOrganizationId(form, async (id, actor) => {
    const unconfirmed = checkOrganizationRemoval(form);
    if (hasErrors(unconfirmed)) return refusedForm(unconfirmed, "Nothing was removed.");
    const keepAccounts = form.get("accounts") === "keep";
    await removeOrganization(prisma, id, { keepAccounts }, actor);
    revalidatePath("/organizations");
    revalidatePath("/accounts");
    // Its row, which holds this form, is gone: the page says what was removed (from the audit log).
    redirect(`/organizations?removed=${encodeURIComponent(id)}`);
  });
}
