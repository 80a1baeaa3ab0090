"use server";

import { revalidatePath } from "next/cache";
import type { z } from "zod";
import { formText } from "@/lib/actions/form-values";
import { clientIp, formOf, guarded, type ActionResult } from "@/lib/actions/result";
import { refusal, refusedForm } from "@/lib/actions/result-shape";
import { AuthError, requireUser } from "@/lib/auth/session";
import { prisma } from "@/lib/db";
import { newViewSchema, viewIdSchema, viewNameSchema } from "@/lib/saved-views/schema";
import {
  deleteView,
  renameView,
  saveView,
  SavedViewError,
  setViewShared,
  type SavedViewActor,
} from "@/lib/saved-views/service";

// Saved views: any signed-in user saves, renames and deletes their own; sharing is an admin's.
// The role is checked here first (whatever the page showed), the form parsed, and the service
// checks ownership and role again and audits the change in its transaction.

const text = (form: FormData, name: string) => formText(formOf(form), name);
const FIX_THE_NAME = "Nothing was changed: fix the name.";

async function asUser(
  fn: (actor: SavedViewActor) => Promise<ActionResult>,
  adminOnly = false,
): Promise<ActionResult> {
  return guarded(async () => {
    const user = await requireUser();
    if (adminOnly && user.role !== "admin")
      throw new AuthError(403, "Only an admin can share or unshare a view.");
    try {
      return await fn({ actorId: user.id, actorEmail: user.email, ip: await clientIp(), role: user.role });
    } catch (err) {
      if (err instanceof SavedViewError)
        return err.field ? refusedForm({ [err.field]: [err.message] }, FIX_THE_NAME) : refusal(err.message);
      throw err;
    }
  });
}

/** The first issue of a form, beside the name when it is about the name, else as the message. */
function invalid(error: z.ZodError, field?: "name"): ActionResult {
  const issue = error.issues[0]!;
  const aboutName = field === "name" || issue.path[0] === "name";
  return aboutName ? refusedForm({ name: [issue.message] }, FIX_THE_NAME) : refusal(issue.message);
}

/** Every page shows the sidebar's list of views. */
const refresh = () => revalidatePath("/", "layout");

/** Saves the table's current filters (the form's `query`) under `name`. */
export async function saveViewAction(_prev: ActionResult, form: FormData): Promise<ActionResult> {
  return asUser(async (actor) => {
    const parsed = newViewSchema.safeParse({ name: text(form, "name"), query: text(form, "query") });
    if (!parsed.success) return invalid(parsed.error);
    const view = await saveView(prisma, parsed.data, actor);
    refresh();
    return { ok: true, message: `Saved "${view.name}": it is in the sidebar under My views.` };
  });
}

export async function renameViewAction(_prev: ActionResult, form: FormData): Promise<ActionResult> {
  return asUser(async (actor) => {
    const id = viewIdSchema.safeParse(text(form, "id"));
    if (!id.success) return { ok: false, message: id.error.issues[0]!.message };
    const name = viewNameSchema.safeParse(text(form, "name"));
    if (!name.success) return invalid(name.error, "name");
    const view = await renameView(prisma, id.data, name.data, actor);
    refresh();
    return { ok: true, message: `Renamed to "${view.name}".` };
  });
}

export async function deleteViewAction(_prev: ActionResult, form: FormData): Promise<ActionResult> {
  return asUser(async (actor) => {
    const id = viewIdSchema.safeParse(text(form, "id"));
    if (!id.success) return { ok: false, message: id.error.issues[0]!.message };
    await deleteView(prisma, id.data, actor);
    refresh();
    return { ok: true, message: "View deleted." };
  });
}

/** Shares a view with everyone (`shared` = "true") or ends its sharing: admins only. */
export async function setViewSharedAction(_prev: ActionResult, form: FormData): Promise<ActionResult> {
  return asUser(async (actor) => {
    const id = viewIdSchema.safeParse(text(form, "id"));
    if (!id.success) return { ok: false, message: id.error.issues[0]!.message };
    const shared = text(form, "shared") === "true";
    const view = await setViewShared(prisma, id.data, shared, actor);
    refresh();
    return {
      ok: true,
      message: shared
        ? `"${view.name}" is shared: everyone finds it under Shared.`
        : `"${view.name}" is no longer shared.`,
    };
  }, true);
}
