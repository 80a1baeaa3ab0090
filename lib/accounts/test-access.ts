import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { audit, SYSTEM, type Actor } from "@/lib/audit/log";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { accountAccess } from "@/lib/collector/run-target";
import { stsClient } from "@/lib/kms/clients";
import { describeError } from "@/lib/kms/errors";

export type AccessTestResult =
  | { ok: true; reachedAccount: string; arn: string; warning?: string; message: string }
  | { ok: false; message: string };

/**
 * STS GetCallerIdentity through the account's configured access, before any scan. The outcome is
 * stored on the account and audited in one transaction.
 */
export async function testAccountAccess(
  db: PrismaClient,
  accountId: string,
  actor: Actor = SYSTEM,
): Promise<AccessTestResult> {
  const access = await accountAccess(db, accountId);
  if (!access) return { ok: false, message: `Account ${accountId} is not configured.` };
  const account = await db.awsAccount.findUniqueOrThrow({ where: { id: accountId } });
  let result: AccessTestResult;
  const sts = (() => {
    try {
      return stsClient(access, account.regions[0] ?? "us-east-1");
    } catch (err) {
      result = { ok: false, message: describeError(err) };
      return null;
    }
  })();
  if (sts) {
    try {
      const out = await sts.send(new GetCallerIdentityCommand({}));
      const reached = out.Account ?? "unknown";
      const warning =
        reached !== accountId
          ? `The credentials reached account ${reached}, not ${accountId}: check the role ARN or profile.`
          : undefined;
      result = {
        ok: true,
        reachedAccount: reached,
        arn: out.Arn ?? "",
        warning,
        message: `Reached account ${reached} as ${out.Arn ?? "an unknown identity"}.`,
      };
    } catch (err) {
      result = { ok: false, message: describeError(err) };
    } finally {
      sts.destroy();
    }
  }
  const summary = result!.ok ? (result!.warning ?? result!.message) : `Failed: ${result!.message}`;
  await db.$transaction(async (tx) => {
    await tx.awsAccount.update({
      where: { id: accountId },
      data: { lastTestedAt: new Date(), lastTestResult: summary.slice(0, 1000) },
    });
    await audit(tx, { ...actor, action: "account.test", target: accountId, details: { ok: result!.ok } });
  });
  return result!;
}
