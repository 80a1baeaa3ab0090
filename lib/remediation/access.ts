import type { KMSClient } from "@aws-sdk/client-kms";
import type { AwsAccount } from "@/lib/generated/prisma/client";
import { kmsClient, type AccountAccess } from "@/lib/kms/clients";
import { getEncrypter, recordContext } from "@/lib/secrets";

// An account's remediation access: a separate identity used only for writes (EnableKeyRotation,
// DisableKeyRotation), never the scanning one. Built into the same AccountAccess the scanner uses,
// so credentials, endpoints and the endpoint allow-list are those of lib/kms/clients.ts.

type RemediationColumns = Pick<
  AwsAccount,
  | "id"
  | "endpointUrl"
  | "remediationMethod"
  | "remediationProfile"
  | "remediationRoleArn"
  | "remediationExternalIdCipher"
>;

/** The encryption context of an account's remediation external id (lib/secrets). */
export const remediationExternalIdContext = (accountId: string) =>
  recordContext("aws_accounts", accountId, "remediation_external_id");

/** Whether the account has remediation access at all (no secret is read). */
export function hasRemediationAccess(account: Pick<AwsAccount, "remediationMethod">): boolean {
  return account.remediationMethod !== null;
}

/** The account's remediation access as an AccountAccess, or null when it has none. */
export async function remediationAccess(account: RemediationColumns): Promise<AccountAccess | null> {
  if (!account.remediationMethod) return null;
  const externalId = account.remediationExternalIdCipher
    ? await (
        await getEncrypter()
      ).decrypt(account.remediationExternalIdCipher, remediationExternalIdContext(account.id))
    : null;
  return {
    id: account.id,
    accessMethod: account.remediationMethod,
    profile: account.remediationProfile,
    roleArn: account.remediationRoleArn,
    externalId,
    endpointUrl: account.endpointUrl,
  };
}

/** A KMS client that writes with the account's remediation access; null without one. */
export async function remediationClient(
  account: RemediationColumns,
  region: string,
): Promise<KMSClient | null> {
  const access = await remediationAccess(account);
  return access ? kmsClient(access, region) : null;
}
