import { kmsPageSetting } from "@/lib/config/env";
import { queryPrepared } from "@/lib/db/client";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { collectRegion, ListingError } from "@/lib/kms/collect-region";
import { kmsClient, type AccountAccess } from "@/lib/kms/clients";
import type { Limiter } from "@/lib/kms/limiter";
import { Limiter as RegionLimiter } from "@/lib/kms/limiter";
import { logger } from "@/lib/log";
import { getEncrypter, recordContext } from "@/lib/secrets";
import { SETTING_KEYS, settingsFrom, type Settings } from "@/lib/settings";
import { finalizeScan, finishScanTarget, HEARTBEAT_MS, type JobResult, type ScanJob } from "./scan";
import { assumeRoleFailure, failureOf, type TargetFailure } from "./target-failure";
import { analyzeKeysIfGrown } from "./key-statistics";
import { writeKeys } from "./write-keys";

export interface TargetOutcome {
  status: "SUCCEEDED" | "FAILED" | "SKIPPED";
  keysSeen: number;
  keyErrors: number;
  calls: number;
  error?: string;
  /** What failed (the call and AWS's code), for coverage; with `error`. */
  failure?: TargetFailure;
  /** Whether this target was the scan's last and its finalisation ended the scan. */
  endedScan?: boolean;
}

/** A job's outcome before it is recorded; a complete listing says when it was made. */
type Collected = TargetOutcome & { listedAt?: Date };

const failed = (failure: TargetFailure): TargetOutcome => ({
  status: "FAILED",
  keysSeen: 0,
  keyErrors: 0,
  calls: 0,
  error: failure.message,
  failure,
});

export async function accountAccess(db: PrismaClient, accountId: string): Promise<AccountAccess | null> {
  const account = await db.awsAccount.findUnique({ where: { id: accountId } });
  return account && withExternalId(account);
}

/** How to reach an account, its external id decrypted. */
export async function withExternalId(account: StoredAccess): Promise<AccountAccess> {
  const externalId = account.externalIdCipher
    ? await (
        await getEncrypter()
      ).decrypt(account.externalIdCipher, recordContext("aws_accounts", account.id, "external_id"))
    : null;
  return { ...account, externalId };
}

type StoredAccess = Omit<AccountAccess, "externalId"> & { externalIdCipher: string | null };

/**
 * Claims a queued (or interrupted) target for this worker, in one round trip that also reads what
 * the job needs: how to reach its account, and the settings as they are now. Null when the
 * target is done elsewhere or was removed with its account.
 */
async function claimTarget(
  db: PrismaClient,
  job: ScanJob,
): Promise<{ account: StoredAccess | null; settings: Settings } | null> {
  const now = new Date();
  const [row] = await queryPrepared<{ account: StoredAccountRow | null; settings: SettingRow[] }>(
    db,
    "collector_claim_target",
    CLAIM_TARGET,
    [now, job.targetId, SETTING_KEYS],
  );
  if (!row) return null;
  const a = row.account;
  return {
    account: a && {
      id: a.id,
      accessMethod: a.access_method,
      profile: a.profile,
      roleArn: a.role_arn,
      externalIdCipher: a.external_id_cipher,
      endpointUrl: a.endpoint_url,
    },
    settings: settingsFrom(row.settings),
  };
}

const CLAIM_TARGET = `
  UPDATE scan_targets t SET status = 'RUNNING', started_at = $1::timestamptz, heartbeat_at = $1::timestamptz, error = NULL
  WHERE t.id = $2::text AND t.status IN ('QUEUED', 'RUNNING')
  RETURNING
    (SELECT row_to_json(a) FROM (
      SELECT id, access_method, profile, role_arn, external_id_cipher, endpoint_url
      FROM aws_accounts WHERE id = t.account_id) a) AS account,
    (SELECT coalesce(json_agg(json_build_object('key', s.key, 'value', s.value)), '[]')
      FROM settings s WHERE s.key = ANY($3::text[])) AS settings`;

interface StoredAccountRow {
  id: string;
  access_method: AccountAccess["accessMethod"];
  profile: string | null;
  role_arn: string | null;
  external_id_cipher: string | null;
  endpoint_url: string | null;
}
interface SettingRow {
  key: string;
  value: unknown;
}

/**
 * Runs one queued account-region of a scan. Nothing is lost on failure: a listing that fails leaves
 * the region's keys as they were, flagged stale with the error; keys are written in batches as
 * they are collected, so a worker killed midway loses only the batch in flight, and the next scan
 * (upserting on account+region+key id) completes with no duplicate or missing key.
 */
export async function runScanTarget(
  db: PrismaClient,
  job: ScanJob,
  deps: { globalLimiter: Limiter; now?: () => Date },
): Promise<TargetOutcome> {
  const claimed = await claimTarget(db, job);
  if (!claimed) {
    // Done elsewhere, or its account was removed (which deletes the target): the scan may be complete.
    const endedScan = await finalizeScan(db, job.scanId);
    return { status: "SKIPPED", keysSeen: 0, keyErrors: 0, calls: 0, endedScan };
  }
  const started = Date.now();
  const heartbeat = setInterval(() => {
    db.scanTarget.update({ where: { id: job.targetId }, data: { heartbeatAt: new Date() } }).catch(() => {});
  }, HEARTBEAT_MS);
  let outcome: Collected;
  try {
    outcome = await collectAndWrite(db, job, claimed, deps);
  } catch (err) {
    outcome = failed(failureOf(err));
  } finally {
    clearInterval(heartbeat);
  }
  let recorded: TargetOutcome = outcome;
  try {
    recorded = await recordOutcome(db, job, outcome, started);
  } finally {
    recorded.endedScan = await finalizeScan(db, job.scanId);
  }
  logger.info({ ...job, ...recorded, ms: Date.now() - started }, "scan target finished");
  return recorded;
}

async function collectAndWrite(
  db: PrismaClient,
  job: ScanJob,
  claimed: { account: StoredAccess | null; settings: Settings },
  deps: { globalLimiter: Limiter; now?: () => Date },
): Promise<Collected> {
  if (!claimed.account) return failed({ call: null, code: null, message: "The account was removed." });
  const access = await withExternalId(claimed.account);
  const settings = claimed.settings;
  const perRegion = settings["scan.concurrencyPerRegion"];
  const kms = kmsClient(access, job.region);
  try {
    if (access.accessMethod === "ROLE") {
      // The role first, on its own: its failure is the account's, with the role's name, not
      // ListKeys'. The credentials are cached (credential-cache.ts): ListKeys signs with them.
      try {
        await kms.config.credentials();
      } catch (err) {
        return failed(assumeRoleFailure(access, err));
      }
    }
    const now = deps.now?.() ?? new Date();
    const result = await collectRegion({
      kms,
      region: job.region,
      limiters: [new RegionLimiter(perRegion), deps.globalLimiter],
      keyConcurrency: perRegion,
      maxRotationDays: settings["policy.maxRotationDays"],
      listPageSize: listPageSize(),
      now,
    });
    await writeKeys(db, job, result.keys, { aliasesOk: result.aliasesError === null, now });
    // An optimisation: its failure must not fail a job whose keys are stored.
    await analyzeKeysIfGrown(db).catch((err: unknown) =>
      logger.warn({ err }, "Could not refresh the statistics of kms_keys after a first scan's writes"),
    );
    return {
      status: "SUCCEEDED",
      keysSeen: result.keys.length,
      keyErrors: result.keys.filter((k) => k.errors.length).length,
      calls: result.calls,
      listedAt: now,
    };
  } catch (err) {
    return failed(
      err instanceof ListingError ? { call: err.call, code: err.code, message: err.message } : failureOf(err),
    );
  } finally {
    kms.destroy();
  }
}

function listPageSize(): number | undefined {
  return kmsPageSetting().INSIGHTS_KMS_PAGE_SIZE;
}

/**
 * Records the job's outcome (finishScanTarget). When recording a complete listing fails (the
 * database), the job fails with that error and the account-region is recorded stale instead.
 */
async function recordOutcome(
  db: PrismaClient,
  job: ScanJob,
  outcome: Collected,
  started: number,
): Promise<TargetOutcome> {
  const { listedAt: _, ...recorded } = outcome;
  try {
    await finishScanTarget(db, job, jobResult(outcome, started));
    return recorded;
  } catch (err) {
    if (outcome.status !== "SUCCEEDED") throw err;
    const failure = failed(failureOf(err));
    await finishScanTarget(db, job, jobResult(failure, started));
    return failure;
  }
}

function jobResult(outcome: Collected, started: number): JobResult {
  const failure = outcome.status === "SUCCEEDED" ? null : (outcome.failure ?? null);
  return {
    succeeded: outcome.status === "SUCCEEDED",
    error: outcome.error ?? null,
    errorCall: failure?.call ?? null,
    errorCode: failure?.code ?? null,
    attemptAt: outcome.listedAt ?? new Date(),
    keysSeen: outcome.keysSeen,
    keyErrors: outcome.keyErrors,
    calls: outcome.calls,
    durationMs: Date.now() - started,
  };
}
