"use server";

import { revalidatePath } from "next/cache";
import { clientIp, formString, guarded, type ActionResult } from "@/lib/actions/result";
import { requireUser } from "@/lib/auth/session";
import { loadKeyChangeHistory } from "@/lib/cloudtrail/history";
import { prisma } from "@/lib/db";

/**
 * "Load history from CloudTrail" and "Refresh" of the key page: any signed-in user whose accounts
 * include the key's (checked by loadKeyChangeHistory). Loading uses a cache younger than an hour;
 * Refresh always asks CloudTrail. AWS failures come back as the message; the cached events stay.
 */
export async function loadKeyHistoryAction(_prev: ActionResult, form: FormData): Promise<ActionResult> {
  return guarded(async () => {
    const user = await requireUser();
    const keyId = formString(form, "keyId");
    if (!keyId) return { ok: false, message: "Nothing was loaded: the form names no key." };
    const result = await loadKeyChangeHistory(prisma, keyId, user.accountScope, {
      maxAgeMs: formString(form, "refresh") === "1" ? 0 : undefined,
      actor: { actorId: user.id, actorEmail: user.email, ip: await clientIp() },
    });
    if (!result.ok) return { ok: false, message: result.message };
    revalidatePath(`/keys/${keyId}`);
    const { error, events } = result.history;
    if (error) return { ok: false, message: error.message };
    return {
      ok: true,
      message: `Loaded ${events.length} change${events.length === 1 ? "" : "s"} from CloudTrail.`,
    };
  });
}
