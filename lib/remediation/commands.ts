import { enableRotationCommand, shellArg } from "@/lib/verdict/remediation";
import { judgeKey, skipReasonLabel, type FixableKey } from "./judge";

// The commands view: the AWS CLI commands that fix a set of keys, as a shell script to read and run
// with write credentials. Pure: rows in, lines out, one row at a time, so a view of 100k keys never
// sits in memory. The judgement is judgeKey's, the command enableRotationCommand's: the key page,
// the stored fix plans and this script agree.

/** A key as the script reads it (the fields judgeKey reads, and where it is). */
export interface ScriptKey extends FixableKey {
  accountId: string;
  keyId: string;
  region: string;
  /** A replica's primary as the console stored it; null or absent when the console does not know it. */
  primary?: (FixableKey & { keyId: string; region: string }) | null;
}

/** An account the script names: its remediation profile, when it has one, goes on its commands. */
export interface ScriptAccount {
  id: string;
  name: string;
  remediationMethod: string | null;
  remediationProfile: string | null;
  remediationRoleArn: string | null;
}

export interface ScriptOptions {
  /** What the script covers, in words: the filters' query string, or the selected keys. */
  selection: string;
  generatedAt: Date;
  maxRotationDays: number;
  /** Checked with checkPeriod; null for the policy maximum. */
  periodDays: number | null;
  /** Looked up once per account, as the rows reach it. */
  account: (id: string) => ScriptAccount | undefined;
  /** Lines for the header (notices about ignored filters, keys not found). */
  notes?: string[];
}

const comment = (text: string) => `# ${text.replace(/[\r\n]+/g, " ")}`;

function accountHeader(id: string, account: ScriptAccount | undefined): string[] {
  const lines = ["", comment(`Account ${id}${account ? ` (${account.name})` : ""}`)];
  if (account?.remediationProfile) {
    lines.push(comment(`These commands use its remediation profile ${account.remediationProfile}.`));
  } else if (account?.remediationRoleArn) {
    lines.push(
      comment(
        `Run them as its remediation role ${account.remediationRoleArn} (e.g. add --profile NAME for a profile that assumes it).`,
      ),
    );
  } else {
    lines.push(
      comment("Run them with credentials that may write to this account (e.g. add --profile NAME)."),
    );
  }
  return lines;
}

/** The script, line by line (each without its newline). Rows should come grouped by account. */
export async function* fixScriptLines(
  rows: AsyncIterable<ScriptKey> | Iterable<ScriptKey>,
  opts: ScriptOptions,
): AsyncGenerator<string, void, undefined> {
  const ctx = {
    maxRotationDays: opts.maxRotationDays,
    periodDays: opts.periodDays,
    inScope: true, // the rows are the reader's own: their scope was applied when they were read
    hasRemediationAccess: true, // the commands are run by the reader, not through the console
  };
  const period = opts.periodDays ?? opts.maxRotationDays;
  yield "#!/bin/sh";
  yield comment("KMS Insights: AWS CLI commands that turn on automatic rotation of KMS keys.");
  yield comment(`Generated ${opts.generatedAt.toISOString()}`);
  yield comment(`Keys: ${opts.selection}`);
  yield comment(
    opts.periodDays === null
      ? `Rotation period: the policy maximum, ${period} days.`
      : `Rotation period: ${period} days.`,
  );
  for (const note of opts.notes ?? []) yield comment(note);
  yield comment(
    "Read it before running it: every command changes a key. Skipped keys are listed as comments.",
  );
  yield "set -eu";

  // Multi-Region keys already handled: a primary is fixed once, however many of its replicas come.
  const multiRegionDone = new Set<string>();
  let accountId: string | null = null;
  let profile: string | null = null;
  let commands = 0;
  let skipped = 0;
  const enable = (target: { keyId: string; region: string }, periodDays: number) => {
    commands++;
    const line = enableRotationCommand(target, periodDays);
    return profile ? `${line} --profile ${shellArg(profile)}` : line;
  };
  const skip = (arn: string, reason: string) => {
    skipped++;
    return comment(`skipped ${arn}: ${reason}`);
  };

  for await (const key of rows) {
    if (key.accountId !== accountId) {
      accountId = key.accountId;
      const account = opts.account(accountId);
      profile = account?.remediationProfile ?? null;
      yield* accountHeader(accountId, account);
    }
    if (key.multiRegionType === "PRIMARY") {
      if (multiRegionDone.has(key.arn)) continue; // written above, for one of its replicas
      multiRegionDone.add(key.arn);
    }
    const judged = judgeKey(key, ctx);
    if (judged.action === "ENABLE_ROTATION") {
      yield enable(key, judged.periodDays);
      continue;
    }
    yield skip(key.arn, skipReasonLabel(judged.reason));
    const primaryArn = judged.primaryArn;
    if (!primaryArn || multiRegionDone.has(primaryArn)) continue;
    multiRegionDone.add(primaryArn);
    const primary = key.primary;
    if (!primary) {
      // Not scanned (another region, or not yet): the ARN names the key and its region.
      yield enable({ keyId: primaryArn, region: primaryArn.split(":")[3] ?? key.region }, period);
      continue;
    }
    const forPrimary = judgeKey(primary, ctx);
    yield forPrimary.action === "ENABLE_ROTATION"
      ? enable(primary, forPrimary.periodDays)
      : skip(primary.arn, skipReasonLabel(forPrimary.reason));
  }
  yield "";
  yield comment(
    `${commands} command${commands === 1 ? "" : "s"}, ${skipped} key${skipped === 1 ? "" : "s"} skipped.`,
  );
}
