import { audit } from "@/lib/audit/log";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { logger } from "@/lib/log";
import { syncOrganization } from "@/lib/organizations/sync";

// The demo's AWS organization: when the demo sandbox serves one, `npm start` adds it on the first
// start (beside the demo accounts) and syncs it at every start, so the Organizations page, the OU
// paths and the statuses have something to show. Its access and its members' are the sandbox's
// (SANDBOX: the demo sandbox's credentials, lib/config/demo-sandbox.ts).

export interface DemoOrganization {
  managementAccountId: string;
  memberRole: { roleName: string };
}

export async function setUpDemoOrganization(
  prisma: PrismaClient,
  organization: DemoOrganization,
  opts: { create: boolean; regions: string[] },
): Promise<void> {
  if (opts.create && !(await prisma.organization.findFirst({ where: { isDemo: true } }))) {
    await prisma.$transaction(async (tx) => {
      const org = await tx.organization.create({
        data: {
          name: "Demo organization",
          isDemo: true,
          accessMethod: "SANDBOX",
          managementAccountId: organization.managementAccountId,
          memberRoleName: organization.memberRole.roleName,
          regionAllow: opts.regions,
        },
      });
      await audit(tx, { actorEmail: "system", action: "organization.create_demo", target: org.id });
    });
  }
  const demo = await prisma.organization.findFirst({ where: { isDemo: true } });
  if (!demo) return;
  const result = await syncOrganization(prisma, demo.id, { actor: { actorEmail: "system" } });
  if (result.ok) logger.info({ ...result.summary, problems: undefined }, "demo organization synced");
  else logger.warn({ error: result.error }, "demo organization sync failed");
}
