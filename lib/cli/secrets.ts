import { parseArgs } from "node:util";
import { rotateAlertSecrets } from "@/lib/alerts/rotate-secrets";
import { audit } from "@/lib/audit/log";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { getEncrypter } from "@/lib/secrets";
import { rotateSecrets } from "@/lib/secrets/rotate";
import type { CliIO } from "./io";
import { unknownSubcommand, type CommandHelp } from "./help";

export const SECRETS_HELP: CommandHelp = {
  command: "secrets",
  summary: "re-encrypt stored secrets with the current key",
  usage: ["secrets rotate"],
  description:
    "Re-encrypts every stored secret (the accounts' external ids, the alert destinations' secrets) with the current key: " +
    "INSIGHTS_KMS_KEY_ID when set, else the first key of INSIGHTS_ENCRYPTION_KEY (or the generated " +
    "one). Keep the old key configured until it has run; exits 1 if a value could not be rotated.",
  options: [],
};

export async function secretsCommand(argv: string[], db: PrismaClient, io: CliIO): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== "rotate") throw unknownSubcommand("secrets", sub, ["rotate"]);
  parseArgs({ args: rest, options: {}, strict: true });
  // Each re-encrypted value is audited with it (secret.rotate); this entry sums the run up.
  const encrypter = await getEncrypter();
  const report = await rotateSecrets(db, encrypter, { actorEmail: "cli" });
  // The alert destinations' secrets too (lib/alerts).
  const alerts = await rotateAlertSecrets(db, encrypter, { actorEmail: "cli" });
  report.total += alerts.total;
  report.rotated += alerts.rotated;
  report.failed.push(...alerts.failed);
  await audit(db, {
    actorEmail: "cli",
    action: "secrets.rotate",
    details: {
      keyId: report.keyId,
      total: report.total,
      rotated: report.rotated,
      failed: report.failed.map((f) => f.record),
    },
  });
  for (const f of report.failed) io.err(`${f.record}: ${f.error}`);
  io.err(
    `Re-encrypted ${report.rotated} of ${report.total} stored secret(s) with key ${report.keyId}` +
      (report.failed.length ? `; ${report.failed.length} failed (see above).` : "."),
  );
  return report.failed.length ? 1 : 0;
}
