/**
 * Everything secret the console stores (external ids, credential material) goes through one
 * Encrypter. The context binds a ciphertext to its record and to this application: a ciphertext
 * copied to another record or service does not decrypt.
 */
export type EncryptionContext = Record<string, string>;

export interface Decrypter {
  decrypt(ciphertext: string, context: EncryptionContext): Promise<string>;
}

export interface Encrypter extends Decrypter {
  /** Which key new ciphertexts are made with (carried in each ciphertext). */
  readonly keyId: string;
  encrypt(plaintext: string, context: EncryptionContext): Promise<string>;
}

/** A stored value that cannot be read back; the message says which one and what to do. */
export class DecryptError extends Error {}

export const APP_CONTEXT = { app: "kms-insights" } as const;

/** The context of one field of one record: `{ app, record: "aws_accounts/123456789012", field }`. */
export function recordContext(table: string, id: string, field: string): EncryptionContext {
  return { ...APP_CONTEXT, record: `${table}/${id}`, field };
}

/** Canonical form (sorted keys) used as authenticated data. */
export function canonicalContext(context: EncryptionContext): string {
  return JSON.stringify(
    Object.keys(context)
      .sort()
      .map((k) => [k, context[k]]),
  );
}

/** "the external_id of aws_accounts/123456789012": what a DecryptError is about. */
export function describeContext(context: EncryptionContext): string {
  return context.record ? `the ${context.field ?? "value"} of ${context.record}` : "the stored value";
}

export const REENTER = "enter the value again (for an account's external id: edit the account)";
