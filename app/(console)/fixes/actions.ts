"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { clientIp, formOf, formString, guarded, type ActionResult } from "@/lib/actions/result";
import { refusal, refusedForm } from "@/lib/actions/result-shape";
import { requireUser } from "@/lib/auth/session";
import { scanSender } from "@/lib/collector/web-queue";
import { prisma } from "@/lib/db";
import { logger } from "@/lib/log";
import { FixError, requireFixAdmin, requirePlanner, type FixActor } from "@/lib/remediation/actor";
import { approveFixPlan, cancelFixPlan, startFixRun } from "@/lib/remediation/lifecycle";
import { planFix as storeFixPlan, planRollback, type FixSelection } from "@/lib/remediation/plan";
import { enqueueFixJobs } from "@/lib/remediation/queue";
import { toDbRole } from "@/lib/users/schema";

// Fix plans from the console. Every action checks the session's role first, then the services
// check the role, the account scope and the plan's state again in their transaction, with the
// audit entry. A refusal is a sentence beside the form, never an error page.

async function actor(need: "plan" | "admin"): Promise<FixActor> {
  const user = await requireUser();
  const a: FixActor = {
    actorId: user.id,
    actorEmail: user.email,
    ip: await clientIp(),
    role: toDbRole(user.role),
    scope: user.accountScope,
  };
  if (need === "plan") requirePlanner(a);
  else requireFixAdmin(a);
  return a;
}

/** Runs `fn`; the services' refusals come back as the form's message (or beside its field). */
function refused(fn: () => Promise<ActionResult>): Promise<ActionResult> {
  return guarded(async () => {
    try {
      return await fn();
    } catch (err) {
      // The selection is not a field of every form that plans (the table's is a row selection).
      if (err instanceof FixError)
        return refusal(err.message, err.field === "selection" ? undefined : err.field);
      throw err;
    }
  });
}

/** The keys a form chose: `selection` = keys (repeated `key` ARNs) or filter (the table's query). */
function readSelection(form: FormData): FixSelection | ActionResult {
  const selection = formString(form, "selection");
  if (selection === "keys") {
    const keys = form.getAll("key").filter((k): k is string => typeof k === "string" && k.trim() !== "");
    if (!keys.length) return refusal("Choose at least one key to fix.");
    return { keys };
  }
  if (selection === "filter") {
    const filter = form.get("filter");
    return { filters: typeof filter === "string" ? filter.replace(/^\?/, "") : "" };
  }
  return refusal("Choose the keys to fix: these keys, or every key of the filters.");
}

/** `period`: empty for the policy's maximum, else a whole number of days. */
function readPeriod(form: FormData): number | null | ActionResult {
  const period = formString(form, "period")?.trim();
  if (period === undefined) return null;
  if (!/^\d+$/.test(period))
    return refusedForm({
      period: ["The rotation period is a whole number of days, or empty for the policy's maximum."],
    });
  return Number(period);
}

const isResult = (v: unknown): v is ActionResult => typeof v === "object" && v !== null && "ok" in v;

/** Plans a fix of the chosen keys (analysts and admins), then opens the plan. */
export async function planFix(_previous: ActionResult, form: FormData): Promise<ActionResult> {
  let created = "";
  const result = await refused(async () => {
    const planner = await actor("plan");
    formOf(form);
    const selection = readSelection(form);
    if (isResult(selection)) return selection;
    const periodDays = readPeriod(form);
    if (isResult(periodDays)) return periodDays;
    created = (await storeFixPlan(prisma, { selection, periodDays }, planner)).id;
    revalidatePath("/fixes");
    return { ok: true };
  });
  // Outside guarded: redirect() signals by throwing.
  if (created) redirect(`/fixes/${encodeURIComponent(created)}`);
  return result;
}

function planId(form: FormData): string | ActionResult {
  return formString(form, "id") ?? { ok: false, message: "Choose a fix plan." };
}

/** Approves a plan: an admin types its number of keys. */
export async function approveFixAction(_previous: ActionResult, form: FormData): Promise<ActionResult> {
  return refused(async () => {
    const approver = await actor("admin");
    const id = planId(form);
    if (isResult(id)) return id;
    const count = formString(form, "count")?.trim() ?? "";
    if (!/^\d+$/.test(count)) return refusedForm({ count: ["Type the number of keys this plan changes."] });
    const plan = await approveFixPlan(prisma, id, Number(count), approver);
    revalidatePath("/fixes", "layout");
    return { ok: true, message: `Approved: ${keysText(plan.changeCount)}. Run it when you are ready.` };
  });
}

const keysText = (n: number) => (n === 1 ? "1 key" : `${n} keys`);

/** Runs an approved plan, or resumes an interrupted one, through the job queue (admins). */
export async function runFixAction(_previous: ActionResult, form: FormData): Promise<ActionResult> {
  return refused(async () => {
    const runner = await actor("admin");
    const id = planId(form);
    if (isResult(id)) return id;
    const { jobs, resumed } = await startFixRun(prisma, id, runner);
    try {
      await enqueueFixJobs(await scanSender(), jobs);
    } catch (err) {
      logger.error({ err: String(err), plan: id }, "fix jobs could not be queued");
      revalidatePath("/fixes", "layout");
      return {
        ok: false,
        message: "The run started but its jobs could not be queued: press Resume to try again.",
      };
    }
    revalidatePath("/fixes", "layout");
    return { ok: true, message: resumed ? "Resumed." : "Running." };
  });
}

/** Cancels a plan not yet run (admins). */
export async function cancelFixAction(_previous: ActionResult, form: FormData): Promise<ActionResult> {
  return refused(async () => {
    const canceller = await actor("admin");
    const id = planId(form);
    if (isResult(id)) return id;
    await cancelFixPlan(prisma, id, canceller);
    revalidatePath("/fixes", "layout");
    return { ok: true, message: "Cancelled." };
  });
}

/** Plans the rollback of a completed fix (analysts and admins), then opens it. */
export async function rollbackFixAction(_previous: ActionResult, form: FormData): Promise<ActionResult> {
  let created = "";
  const result = await refused(async () => {
    const planner = await actor("plan");
    const id = planId(form);
    if (isResult(id)) return id;
    created = (await planRollback(prisma, id, planner)).id;
    revalidatePath("/fixes", "layout");
    return { ok: true };
  });
  if (created) redirect(`/fixes/${encodeURIComponent(created)}`);
  return result;
}
