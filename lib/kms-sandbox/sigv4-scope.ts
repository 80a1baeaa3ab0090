// The sandbox does not verify signatures; it only reads who signed and for which region and
// service, from the SigV4 credential scope.

export interface SigV4Scope {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
}

const CREDENTIAL = /Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request/;

/** `undefined` when the header is missing; `null` when present but not a SigV4 header. */
export function parseAuthorization(header: string | undefined): SigV4Scope | null | undefined {
  if (header === undefined || header === "") return undefined;
  if (!header.startsWith("AWS4-HMAC-SHA256 ")) return null;
  const match = CREDENTIAL.exec(header);
  if (!match) return null;
  const [, accessKeyId, date, region, service] = match as unknown as [string, string, string, string, string];
  return { accessKeyId, date, region, service };
}
