import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';

/**
 * Encrypts members' Torn API keys at rest (AES-256-GCM) and gives each key a keyed digest,
 * so the same key can be found again without decrypting every row. Both keys derive from
 * TORNCAT_SECRET with distinct labels, so one never serves as the other.
 */
export class KeyVault {
  #encKey: Buffer;
  #macKey: Buffer;

  constructor(secret: string) {
    this.#encKey = createHash('sha256')
      .update('torncat/api-key-encryption\0' + secret)
      .digest();
    this.#macKey = createHash('sha256')
      .update('torncat/api-key-digest\0' + secret)
      .digest();
  }

  encrypt(apiKey: string): Buffer {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#encKey, iv);
    const body = Buffer.concat([cipher.update(apiKey, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]);
  }

  decrypt(stored: Uint8Array): string {
    const buf = Buffer.from(stored);
    const decipher = createDecipheriv('aes-256-gcm', this.#encKey, buf.subarray(0, 12));
    decipher.setAuthTag(buf.subarray(12, 28));
    return Buffer.concat([decipher.update(buf.subarray(28)), decipher.final()]).toString('utf8');
  }

  digest(apiKey: string): Buffer {
    return createHmac('sha256', this.#macKey).update(apiKey).digest();
  }
}
