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
import { accountIdSchema } from "@/lib/accounts/schema";
import { testAccountAccess } from "@/lib/accounts/test-access";
import { clientIp, formString, guarded, type ActionResult } from "@/lib/actions/result";
import { audit } from "@/lib/audit/log";
import { requireAdmin } from "@/lib/auth/session";
import { startScan } from "@/lib/collector/queue";
import { NoAccountsError } from "@/lib/collector/scan";
import { scanSender } from "@/lib/collector/web-queue";
import { prisma } from "@/lib/db";

function accountFromForm(form: FormData) {
  return {
    id: formString(form, "id") ?? "",
    name: formString(form, "name") ?? "",
    regions: form.getAll("regions").filter((r): r is string => typeof r === "string"),
    accessMethod: (formString(form, "accessMethod") ?? "DEFAULT_CHAIN") as
      "DEFAULT_CHAIN" | "PROFILE" | "ROLE",
    profile: formString(form, "profile"),
    roleArn: formString(form, "roleArn"),
    externalId: formString(form, "externalId"),
    endpointUrl: formString(form, "endpointUrl"),
    enabled: form.get("enabled") !== "off",
  };
}

export async function saveAccountAction(_prev: ActionResult, form: FormData): Promise<ActionResult> {
  return guarded(async () => {
    const user = await requireAdmin();
    const input = accountFromForm(form);
    const editing = form.get("mode") === "edit";
    try {
      const account = editing
        ? await updateAccount(prisma, { ...input, clearExternalId: form.get("clearExternalId") === "on" })
        : await addAccount(prisma, input);
      await audit(prisma, {
        actorId: user.id,
        actorEmail: user.email,
        action: editing ? "account.update" : "account.create",
        target: account.id,
        details: {
          name: account.name,
          regions: account.regions,
          accessMethod: account.accessMethod,
          enabled: account.enabled,
        },
        ip: await clientIp(),
      });
    } catch (err) {
      if (err instanceof AccountError) return { ok: false, message: err.message, errors: err.fieldErrors };
      throw err;
    }
    revalidatePath("/accounts");
    return {
      ok: true,
      message: editing
        ? `Saved account ${input.id}.`
        : `Added account ${input.id}. Test its access, then scan.`,
    };
  });
}

const idOnly = z.object({ id: accountIdSchema });

async function withAccountId(
  form: FormData,
  fn: (id: string, user: Awaited<ReturnType<typeof requireAdmin>>) => Promise<ActionResult>,
) {
  return guarded(async () => {
    const user = await requireAdmin();
    const parsed = idOnly.safeParse({ id: form.get("id") });
    if (!parsed.success) return { ok: false, message: "That is not an account id." };
    try {
      return await fn(parsed.data.id, user);
    } catch (err) {
      if (err instanceof AccountError) return { ok: false, message: err.message };
      throw err;
    }
  });
}

export async function setAccountEnabledAction(_prev: ActionResult, form: FormData): Promise<ActionResult> {
  return withAccountId(form, async (id, user) => {
    const enabled = form.get("enabled") === "true";
    await setAccountEnabled(prisma, id, enabled);
    await audit(prisma, {
      actorId: user.id,
      actorEmail: user.email,
      action: enabled ? "account.enable" : "account.disable",
      target: id,
      ip: await clientIp(),
    });
    revalidatePath("/accounts");
    return { ok: true, message: `Account ${id} ${enabled ? "enabled" : "disabled"}.` };
  });
}

export async function removeAccountAction(_prev: ActionResult, form: FormData): Promise<ActionResult> {
  return withAccountId(form, async (id, user) => {
    if (form.get("confirm") !== id) return { ok: false, message: `Type ${id} to confirm the removal.` };
    const { viewersLeftWithNone } = await removeAccount(prisma, id, {
      actorId: user.id,
      actorEmail: user.email,
      ip: await clientIp(),
    });
    revalidatePath("/accounts");
    return { ok: true, message: removedMessage(id, viewersLeftWithNone) };
  });
}

export async function testAccessAction(_prev: ActionResult, form: FormData): Promise<ActionResult> {
  return withAccountId(form, async (id, user) => {
    const result = await testAccountAccess(prisma, id);
    await audit(prisma, {
      actorId: user.id,
      actorEmail: user.email,
      action: "account.test",
      target: id,
      details: { ok: result.ok },
      ip: await clientIp(),
    });
    revalidatePath("/accounts");
    if (!result.ok) return { ok: false, message: `Access to ${id} failed: ${result.message}` };
    return { ok: !result.warning, message: result.warning ?? result.message };
  });
}

export async function scanNowAction(_prev: ActionResult): Promise<ActionResult> {
  return guarded(async () => {
    const user = await requireAdmin();
    try {
      const scan = await startScan(prisma, await scanSender(), {
        trigger: "MANUAL",
        requestedBy: user.email,
      });
      await audit(prisma, {
        actorId: user.id,
        actorEmail: user.email,
        action: "scan.start",
        target: scan.scanId,
        details: { targets: scan.jobs.length },
        ip: await clientIp(),
      });
      revalidatePath("/scans");
      return {
        ok: true,
        message: `Scan started: ${scan.jobs.length} account-region(s) queued. Follow it on the Scans page.`,
      };
    } catch (err) {
      if (err instanceof NoAccountsError) return { ok: false, message: err.message };
      throw err;
    }
  });
}
