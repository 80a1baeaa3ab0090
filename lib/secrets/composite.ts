import {
  DecryptError,
  describeContext,
  REENTER,
  type Decrypter,
  type EncryptionContext,
  type Encrypter,
} from "./encrypter";

/**
 * Encrypts with the current encrypter and decrypts both kinds of ciphertext (`local:` and `kms:`),
 * so switching between a local key and KMS keeps every stored value readable until
 * `npx kms-insights secrets rotate` re-encrypts it with the current one.
 */
export class CompositeEncrypter implements Encrypter {
  readonly keyId: string;

  constructor(
    private readonly current: Encrypter,
    private readonly readers: { local?: Decrypter; kms: Decrypter },
  ) {
    this.keyId = current.keyId;
  }

  encrypt(plaintext: string, context: EncryptionContext): Promise<string> {
    return this.current.encrypt(plaintext, context);
  }

  async decrypt(ciphertext: string, context: EncryptionContext): Promise<string> {
    const scheme = ciphertext.slice(0, ciphertext.indexOf(":"));
    if (scheme === "kms") return this.readers.kms.decrypt(ciphertext, context);
    if (scheme === "local") {
      if (this.readers.local) return this.readers.local.decrypt(ciphertext, context);
      throw new DecryptError(
        `${describeContext(context)} was encrypted with a local key, and none is configured: set ` +
          `INSIGHTS_ENCRYPTION_KEY to that key (or restore the data directory's encryption-key file), ` +
          `then run \`npx kms-insights secrets rotate\`.`,
      );
    }
    throw new DecryptError(`${describeContext(context)} is not a KMS Insights ciphertext: ${REENTER}.`);
  }
}
