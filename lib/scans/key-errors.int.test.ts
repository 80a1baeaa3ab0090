import { beforeEach, describe, expect, it } from "vitest";
import { useFreshDatabase } from "@/test/db";
import { addKey, ESTATE, seedDashboardEstate } from "@/test/fixtures/dashboard-rows";
import { fetchKeysWithErrors, KEY_ERRORS_LISTED, targetKey } from "./key-errors";

const db = useFreshDatabase({ perTest: true });
let scanId: string;

beforeEach(async () => {
  const { scans } = await seedDashboardEstate(db.prisma);
  scanId = scans[2]!.id;
  const withError = (accountId: string, region: string, n: number) =>
    Promise.all(
      Array.from({ length: n }, (_, i) =>
        addKey(db.prisma, {
          accountId,
          region,
          severity: "WARNING",
          keyId: `${region}-err-${i}`,
          aliases: i === 0 ? ["alias/broken"] : [],
          lastScanId: scanId,
          collectError: `ListResourceTags: AccessDenied (${i})`,
        }),
      ),
    );
  await withError(ESTATE.production, "eu-west-1", KEY_ERRORS_LISTED + 2);
  await withError(ESTATE.staging, "eu-west-1", 1);
});

describe("fetchKeysWithErrors", () => {
  it("lists the first keys each account-region of a scan read with errors", async () => {
    const found = await fetchKeysWithErrors(db.prisma, [scanId], null);
    const production = found.get(targetKey(scanId, ESTATE.production, "eu-west-1"))!;
    expect(production).toHaveLength(KEY_ERRORS_LISTED);
    expect(production[0]).toMatchObject({
      keyId: "eu-west-1-err-0",
      alias: "alias/broken",
      error: "ListResourceTags: AccessDenied (0)",
    });
    expect(production[1]!.alias).toBeNull();
    expect(found.get(targetKey(scanId, ESTATE.staging, "eu-west-1"))).toHaveLength(1);
  });

  it("keeps to the user's accounts and to the scans asked for", async () => {
    const staging = await fetchKeysWithErrors(db.prisma, [scanId], [ESTATE.staging]);
    expect([...staging.keys()]).toEqual([targetKey(scanId, ESTATE.staging, "eu-west-1")]);
    expect((await fetchKeysWithErrors(db.prisma, [scanId], [])).size).toBe(0);
    expect((await fetchKeysWithErrors(db.prisma, ["another-scan"], null)).size).toBe(0);
  });
});
