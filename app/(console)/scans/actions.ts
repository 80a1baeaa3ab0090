"use server";

import { revalidatePath } from "next/cache";
import { clientIp, guarded, type ActionResult } from "@/lib/actions/result";
import { requireAdmin } from "@/lib/auth/session";
import { startScan } from "@/lib/collector/queue";
import { NoAccountsError, ScanNotQueuedError } from "@/lib/collector/scan";
import { scanSender } from "@/lib/collector/web-queue";
import { prisma } from "@/lib/db";

/** Scan now (the Scans and Accounts pages): admins only, as every change to what is scanned. */
export async function scanNowAction(_prev: ActionResult): Promise<ActionResult> {
  return guarded(async () => {
    const user = await requireAdmin();
    const actor = { actorId: user.id, actorEmail: user.email, ip: await clientIp() };
    try {
      const scan = await startScan(prisma, await scanSender(), {
        trigger: "MANUAL",
        requestedBy: actor.actorEmail,
        actor,
      });
      revalidatePath("/scans");
      revalidatePath("/");
      return {
        ok: true,
        message: `Scan started: ${scan.jobs.length} account-region(s) queued.`,
      };
    } catch (err) {
      if (err instanceof NoAccountsError || err instanceof ScanNotQueuedError)
        return { ok: false, message: err.message };
      throw err;
    }
  });
}
