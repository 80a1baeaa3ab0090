import {
  DescribeKeyCommand,
  GetKeyRotationStatusCommand,
  paginateListAliases,
  paginateListKeyRotations,
  paginateListKeys,
  paginateListResourceTags,
  type KeyMetadata,
  type KMSClient,
} from "@aws-sdk/client-kms";
import { evaluateKey, rotationCallsNeeded } from "@/lib/verdict/rules";
import type { Finding, KeyFacts, RotationRead } from "@/lib/verdict/types";
import { describeError, errorCode } from "./errors";
import { Limiter, mapConcurrent, underAll } from "./limiter";
import { toKeyMeta, type KeyMeta } from "./key-meta";

// Collects one account-region: ListKeys and ListAliases with the paginators, then per key
// DescribeKey and only the calls its verdict needs (rules in lib/verdict/rules.ts). Every call runs
// under the region's limiter and the process-wide one. A listing failure throws (the region keeps
// its previous data, flagged stale); a failure on one key is recorded on that key and never stops
// the others.

export interface CollectedKey {
  keyId: string;
  arn: string;
  /** null when DescribeKey failed: the stored metadata is kept. */
  meta: KeyMeta | null;
  aliases: string[];
  /** null when the tags could not be read: the stored tags are kept. */
  tags: { key: string; value: string }[] | null;
  rotation: RotationRead | null;
  lastRotation: Date | null;
  finding: Finding;
  errors: string[];
}

export interface RegionResult {
  keys: CollectedKey[];
  calls: number;
  /** Set when ListAliases failed: aliases are then kept from the previous scan. */
  aliasesError: string | null;
}

export interface CollectOptions {
  kms: KMSClient;
  region: string;
  limiters: Limiter[];
  keyConcurrency: number;
  maxRotationDays: number;
  /** ListKeys page size, 1–1000 (INSIGHTS_KMS_PAGE_SIZE); the largest page means the fewest calls. */
  listPageSize?: number;
  now?: Date;
  onProgress?: (done: number, total: number) => void;
}

/** ListKeys failed: the call (as IAM names it) and AWS's error code, for coverage. */
export class ListingError extends Error {
  readonly call = "kms:ListKeys";
  constructor(
    message: string,
    readonly code: string | null,
  ) {
    super(message);
  }
}

export async function collectRegion(opts: CollectOptions): Promise<RegionResult> {
  let calls = 0;
  const send = <T>(fn: () => Promise<T>): Promise<T> =>
    underAll(opts.limiters, () => {
      calls++;
      return fn();
    });
  const pageCalls = async <P>(pages: AsyncIterable<P>, each: (page: P) => void) => {
    // The paginator issues one call per page; its last next(), which reports `done`, makes none.
    const it = pages[Symbol.asyncIterator]();
    for (;;) {
      const next = await underAll(opts.limiters, () => it.next());
      if (next.done) break;
      calls++;
      each(next.value);
    }
  };

  // Both listings at once: they are independent, and a region's first key waits for both.
  const listed: { keyId: string; arn: string }[] = [];
  const aliasesByKey = new Map<string, string[]>();
  let aliasesError: string | null = null;
  const listKeys = async () => {
    try {
      await pageCalls(
        paginateListKeys({ client: opts.kms, pageSize: opts.listPageSize ?? 1000 }, {}),
        (page) => {
          for (const k of page.Keys ?? []) if (k.KeyId) listed.push({ keyId: k.KeyId, arn: k.KeyArn ?? "" });
        },
      );
    } catch (err) {
      throw new ListingError(`ListKeys failed: ${describeError(err)}`, errorCode(err));
    }
  };
  const listAliases = async () => {
    try {
      await pageCalls(paginateListAliases({ client: opts.kms, pageSize: 100 }, {}), (page) => {
        for (const a of page.Aliases ?? []) {
          if (!a.TargetKeyId || !a.AliasName) continue;
          const list = aliasesByKey.get(a.TargetKeyId) ?? [];
          list.push(a.AliasName);
          aliasesByKey.set(a.TargetKeyId, list);
        }
      });
    } catch (err) {
      aliasesError = `ListAliases failed: ${describeError(err)}`;
    }
  };
  await Promise.all([listKeys(), listAliases()]);

  const now = opts.now ?? new Date();
  let done = 0;
  const keys = await mapConcurrent(listed, opts.keyConcurrency, async (listedKey) => {
    const key = await collectKey(opts, send, pageCalls, listedKey, now);
    key.aliases = (aliasesByKey.get(listedKey.keyId) ?? []).sort();
    if (aliasesError) key.errors.push(aliasesError);
    opts.onProgress?.(++done, listed.length);
    return key;
  });
  return { keys, calls, aliasesError };
}

type Send = <T>(fn: () => Promise<T>) => Promise<T>;
type PageCalls = <P>(pages: AsyncIterable<P>, each: (page: P) => void) => Promise<void>;

async function collectKey(
  opts: CollectOptions,
  send: Send,
  pageCalls: PageCalls,
  listed: { keyId: string; arn: string },
  now: Date,
): Promise<CollectedKey> {
  const errors: string[] = [];
  let metadata: KeyMetadata | undefined;
  try {
    metadata = (await send(() => opts.kms.send(new DescribeKeyCommand({ KeyId: listed.keyId })))).KeyMetadata;
    if (!metadata) errors.push("DescribeKey returned no KeyMetadata");
  } catch (err) {
    errors.push(`DescribeKey failed: ${describeError(err)}`);
  }
  if (!metadata) return unreadableKey(listed, errors);

  const meta = toKeyMeta(metadata, listed);
  const needed = rotationCallsNeeded(meta);
  const [rotation, rotations, tags] = await Promise.all([
    needed.rotationStatus ? readRotationStatus(opts.kms, send, listed.keyId) : Promise.resolve(null),
    needed.keyRotations ? readKeyRotations(opts.kms, pageCalls, listed.keyId) : Promise.resolve(null),
    meta.keyManager === "CUSTOMER"
      ? readTags(opts.kms, pageCalls, listed.keyId, errors)
      : Promise.resolve([]),
  ]);
  let rotationRead: RotationRead | null = rotation;
  if (rotations && !rotations.ok) rotationRead = { ok: false, error: rotations.error };
  const facts: KeyFacts = {
    keyId: meta.keyId,
    arn: meta.arn,
    keyState: meta.keyState,
    keyManager: meta.keyManager,
    keySpec: meta.keySpec,
    origin: meta.origin,
    creationDate: meta.creationDate,
    rotation: rotationRead,
    importedMaterialRotations: rotations?.ok ? rotations.dates : null,
  };
  const finding = evaluateKey(facts, { maxRotationDays: opts.maxRotationDays }, now);
  if (rotationRead && !rotationRead.ok) errors.push(rotationRead.error);
  return {
    keyId: meta.keyId,
    arn: meta.arn,
    meta,
    aliases: [],
    tags,
    rotation: rotationRead,
    lastRotation: finding.lastRotation,
    finding,
    errors,
  };
}

async function readRotationStatus(kms: KMSClient, send: Send, keyId: string): Promise<RotationRead> {
  try {
    const out = await send(() => kms.send(new GetKeyRotationStatusCommand({ KeyId: keyId })));
    return {
      ok: true,
      enabled: out.KeyRotationEnabled === true,
      periodDays: typeof out.RotationPeriodInDays === "number" ? out.RotationPeriodInDays : null,
      nextRotation: out.NextRotationDate instanceof Date ? out.NextRotationDate : null,
    };
  } catch (err) {
    return { ok: false, error: `GetKeyRotationStatus failed: ${describeError(err)}` };
  }
}

async function readKeyRotations(
  kms: KMSClient,
  pageCalls: PageCalls,
  keyId: string,
): Promise<{ ok: true; dates: Date[] } | { ok: false; error: string }> {
  const dates: Date[] = [];
  try {
    await pageCalls(paginateListKeyRotations({ client: kms, pageSize: 1000 }, { KeyId: keyId }), (page) => {
      for (const r of page.Rotations ?? []) if (r.RotationDate instanceof Date) dates.push(r.RotationDate);
    });
    return { ok: true, dates };
  } catch (err) {
    return { ok: false, error: `ListKeyRotations failed: ${describeError(err)}` };
  }
}

async function readTags(
  kms: KMSClient,
  pageCalls: PageCalls,
  keyId: string,
  errors: string[],
): Promise<{ key: string; value: string }[] | null> {
  const tags: { key: string; value: string }[] = [];
  const rejected: string[] = [];
  try {
    await pageCalls(paginateListResourceTags({ client: kms, pageSize: 50 }, { KeyId: keyId }), (page) => {
      for (const t of page.Tags ?? []) {
        if (typeof t.TagKey !== "string") continue;
        const value = typeof t.TagValue === "string" ? t.TagValue : "";
        // AWS allows keys of 1-128 and values of 0-256 characters; anything else is not a tag
        // KMS could have answered, and would not fit the tag index: reject it, say so, keep the rest.
        if (t.TagKey.length < 1 || t.TagKey.length > 128 || value.length > 256) {
          rejected.push(`${t.TagKey.slice(0, 40)} (${t.TagKey.length}-char key, ${value.length}-char value)`);
          continue;
        }
        tags.push({ key: t.TagKey, value });
      }
    });
    if (rejected.length) errors.push(`Ignored tags outside AWS limits: ${rejected.join(", ")}`);
    return tags;
  } catch (err) {
    errors.push(`ListResourceTags failed: ${describeError(err)}`);
    return null;
  }
}

/** DescribeKey failed: the key is listed but cannot be judged; it is kept, flagged, never dropped. */
function unreadableKey(listed: { keyId: string; arn: string }, errors: string[]): CollectedKey {
  const error = errors.join("; ");
  return {
    keyId: listed.keyId,
    arn: listed.arn,
    meta: null,
    aliases: [],
    tags: null,
    rotation: null,
    lastRotation: null,
    finding: {
      severity: "WARNING",
      reason: "ROTATION_STATUS_UNKNOWN",
      description: `The key's metadata could not be read (${error}), so its rotation cannot be verified.`,
      rotationStatus: "unknown",
      rotationPeriodDays: null,
      nextRotation: null,
      lastRotation: null,
      error,
    },
    errors,
  };
}
