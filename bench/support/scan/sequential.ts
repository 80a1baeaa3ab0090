import {
  DescribeKeyCommand,
  GetKeyRotationStatusCommand,
  KMSClient,
  paginateListAliases,
  paginateListKeyRotations,
  paginateListKeys,
  paginateListResourceTags,
} from "@aws-sdk/client-kms";
import { rotationCallsNeeded } from "@/lib/verdict/rules";
import { sandboxCredentialsFor } from "@/lib/kms-sandbox/credentials";
import type { BenchAccount } from "./estate";

// The pattern of the common open-source scanners: per region, list the keys, then for each key one
// call after another (DescribeKey, then the rotation and tag calls). The regions of an account run
// side by side (one thread per region), accounts one after another. It makes exactly the calls the
// spec needs, with a default SDK client per region and the account's static credentials (no
// AssumeRole: a small head start for the baseline).

export interface SequentialResult {
  ms: number;
  keys: number;
  calls: number;
}

async function drain<P>(pages: AsyncIterable<P>, each: (page: P) => void): Promise<number> {
  let calls = 0;
  for await (const page of pages) {
    calls++;
    each(page);
  }
  return calls;
}

async function scanRegion(
  url: string,
  accountId: string,
  region: string,
): Promise<{ keys: number; calls: number }> {
  const kms = new KMSClient({ endpoint: url, region, credentials: sandboxCredentialsFor(accountId) });
  try {
    const keyIds: string[] = [];
    let calls = await drain(paginateListKeys({ client: kms, pageSize: 1000 }, {}), (p) => {
      for (const k of p.Keys ?? []) if (k.KeyId) keyIds.push(k.KeyId);
    });
    calls += await drain(paginateListAliases({ client: kms, pageSize: 100 }, {}), () => {});
    for (const keyId of keyIds) {
      const meta = (await kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!;
      calls++;
      const needed = rotationCallsNeeded({
        keyState: meta.KeyState ?? "",
        keyManager: meta.KeyManager ?? "",
        keySpec: meta.KeySpec ?? "",
        origin: meta.Origin ?? "",
      });
      if (needed.rotationStatus) {
        calls++;
        await kms.send(new GetKeyRotationStatusCommand({ KeyId: keyId })).catch(() => null);
      }
      if (needed.keyRotations) {
        calls += await drain(
          paginateListKeyRotations({ client: kms, pageSize: 1000 }, { KeyId: keyId }),
          () => {},
        );
      }
      if (meta.KeyManager === "CUSTOMER") {
        calls += await drain(
          paginateListResourceTags({ client: kms, pageSize: 50 }, { KeyId: keyId }),
          () => {},
        );
      }
    }
    return { keys: keyIds.length, calls };
  } finally {
    kms.destroy();
  }
}

/** Scans `accounts` one after another, each account's regions side by side. */
export async function sequentialScan(
  url: string,
  accounts: BenchAccount[],
  regions: string[],
): Promise<SequentialResult> {
  const started = performance.now();
  let keys = 0;
  let calls = 0;
  for (const account of accounts) {
    const results = await Promise.all(regions.map((region) => scanRegion(url, account.id, region)));
    for (const r of results) {
      keys += r.keys;
      calls += r.calls;
    }
  }
  return { ms: performance.now() - started, keys, calls };
}
