"use server";

import { revalidatePath } from "next/cache";
import { hasErrors } from "@/lib/actions/form-values";
import { clientIp, formOf, guarded, type ActionResult } from "@/lib/actions/result";
import { refusedForm } from "@/lib/actions/result-shape";
import { requireAdmin } from "@/lib/auth/session";
import { prisma } from "@/lib/db";
import { saveSettings, SETTINGS, type SettingKey, type Settings } from "@/lib/settings";

const FIELDS: Record<string, SettingKey> = {
  maxRotationDays: "policy.maxRotationDays",
  scanIntervalHours: "scan.intervalHours",
  concurrencyPerRegion: "scan.concurrencyPerRegion",
  concurrencyTotal: "scan.concurrencyTotal",
  slaCriticalDays: "sla.criticalDays",
  slaWarningDays: "sla.warningDays",
};

export async function saveSettingsAction(_prev: ActionResult, form: FormData): Promise<ActionResult> {
  return guarded(async () => {
    const user = await requireAdmin();
    formOf(form);
    const errors: Record<string, string[]> = {};
    const next: Partial<Settings> = {};
    for (const [field, key] of Object.entries(FIELDS)) {
      const raw = form.get(field);
      const parsed = SETTINGS[key].safeParse(
        typeof raw === "string" && raw.trim() !== "" ? raw.trim() : Number.NaN,
      );
      if (parsed.success) (next as Record<string, unknown>)[key] = parsed.data;
      else errors[field] = [parsed.error.issues[0]?.message ?? "Invalid value."];
    }
    // A checkbox: sent when checked, absent when not.
    next["exceptions.requireApproval"] = form.get("requireApproval") === "on";
    next["fixes.requireSecondPerson"] = form.get("requireSecondPerson") === "on";
    if (hasErrors(errors)) return refusedForm(errors);
    const actor = { actorId: user.id, actorEmail: user.email, ip: await clientIp() };
    const { changed, reevaluated } = await saveSettings(prisma, next, actor);
    revalidatePath("/", "layout");
    if (!changed.length) return { ok: true, message: "No change." };
    return {
      ok: true,
      message: `Saved.${changed.includes("policy.maxRotationDays") ? ` Findings re-evaluated: ${reevaluated} changed.` : ""}`,
    };
  });
}
