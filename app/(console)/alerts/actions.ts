"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { fieldErrorsOf, formText } from "@/lib/actions/form-values";
import { clientIp, formOf, guarded, type ActionResult } from "@/lib/actions/result";
import { refusal, refusedForm } from "@/lib/actions/result-shape";
import { sendTestMessage } from "@/lib/alerts/deliver";
import { destinationInputSchema } from "@/lib/alerts/destination-schema";
import { createDestination, removeDestination, updateDestination } from "@/lib/alerts/destinations";
import { AlertInputError } from "@/lib/alerts/errors";
import { readDestinationForm, readRuleForm } from "@/lib/alerts/forms";
import { ruleInputSchema } from "@/lib/alerts/rule-schema";
import { createRule, removeRule, setRuleEnabled, updateRule } from "@/lib/alerts/rules";
import type { Actor } from "@/lib/audit/log";
import { requireAdmin } from "@/lib/auth/session";
import { prisma } from "@/lib/db";

// Alerts are the admins' (checked here, whatever the page showed). Every form is parsed before
// anything is written; each change is audited with the caller's address in its own transaction.

const id = z.string().min(1, "Choose one.").max(64, "Choose one.");

async function asAdmin(fn: (actor: Actor) => Promise<ActionResult>): Promise<ActionResult> {
  return guarded(async () => {
    const admin = await requireAdmin();
    try {
      return await fn({ actorId: admin.id, actorEmail: admin.email, ip: await clientIp() });
    } catch (err) {
      if (err instanceof AlertInputError) return refusal(err.message, err.field);
      throw err;
    }
  });
}

function done(message: string): ActionResult {
  revalidatePath("/alerts");
  revalidatePath("/alerts/deliveries");
  return { ok: true, message };
}

export async function saveDestinationAction(_prev: ActionResult, form: FormData): Promise<ActionResult> {
  return asAdmin(async (actor) => {
    const parsed = destinationInputSchema.safeParse(readDestinationForm(formOf(form)));
    if (!parsed.success) return refusedForm(fieldErrorsOf(parsed.error.issues));
    const editing = formText(form, "id");
    if (editing) {
      const saved = await updateDestination(prisma, editing, parsed.data, actor);
      return done(`Saved destination ${saved.name}.`);
    }
    const saved = await createDestination(prisma, parsed.data, actor);
    return done(`Added destination ${saved.name}. Press Send test to check that it receives alerts.`);
  });
}

export async function removeDestinationAction(_prev: ActionResult, form: FormData): Promise<ActionResult> {
  return asAdmin(async (actor) => {
    const parsed = id.safeParse(formText(formOf(form), "id"));
    if (!parsed.success) return { ok: false, message: "Choose a destination." };
    const name = await removeDestination(prisma, parsed.data, actor);
    return done(`Removed destination ${name}, its rules and its delivery log.`);
  });
}

export async function testDestinationAction(_prev: ActionResult, form: FormData): Promise<ActionResult> {
  return asAdmin(async (actor) => {
    const parsed = id.safeParse(formText(formOf(form), "id"));
    if (!parsed.success) return { ok: false, message: "Choose a destination." };
    const outcome = await sendTestMessage(prisma, parsed.data, actor);
    revalidatePath("/alerts/deliveries");
    return outcome.status === "SENT"
      ? { ok: true, message: "Test message sent. See the delivery log." }
      : { ok: false, message: `The test message was not delivered: ${outcome.error ?? "unknown error"}` };
  });
}

export async function saveRuleAction(_prev: ActionResult, form: FormData): Promise<ActionResult> {
  return asAdmin(async (actor) => {
    const parsed = ruleInputSchema.safeParse(readRuleForm(formOf(form)));
    if (!parsed.success) return refusedForm(fieldErrorsOf(parsed.error.issues));
    const editing = formText(form, "id");
    const saved = editing
      ? await updateRule(prisma, editing, parsed.data, actor)
      : await createRule(prisma, parsed.data, actor);
    return done(`${editing ? "Saved" : "Added"} rule ${saved.name}.`);
  });
}

export async function setRuleEnabledAction(_prev: ActionResult, form: FormData): Promise<ActionResult> {
  return asAdmin(async (actor) => {
    const parsed = z
      .object({ id, enabled: z.enum(["true", "false"]) })
      .safeParse({ id: formText(formOf(form), "id"), enabled: formText(form, "enabled") });
    if (!parsed.success) return { ok: false, message: "Choose a rule." };
    const rule = await setRuleEnabled(prisma, parsed.data.id, parsed.data.enabled === "true", actor);
    return done(`${rule.enabled ? "Enabled" : "Disabled"} rule ${rule.name}.`);
  });
}

export async function removeRuleAction(_prev: ActionResult, form: FormData): Promise<ActionResult> {
  return asAdmin(async (actor) => {
    const parsed = id.safeParse(formText(formOf(form), "id"));
    if (!parsed.success) return { ok: false, message: "Choose a rule." };
    const name = await removeRule(prisma, parsed.data, actor);
    return done(`Removed rule ${name}.`);
  });
}
