import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/** The first byte of a ciphertext sealed with the HKDF-derived key. Legacy ones begin straight with their IV. */
const V1 = 0x01;
const IV_BYTES = 12;
const TAG_BYTES = 16;

function hkdf(secret: string, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'torncat/key-vault', info, 32));
}

// The derivation before HKDF; kept only to read and upgrade rows written by it.
function legacyKey(secret: string, label: string): Buffer {
  return createHash('sha256')
    .update(label + '\0' + secret)
    .digest();
}

function seal(key: Buffer, plain: string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

/** Throws when the tag does not match: wrong key, other format, or altered bytes. */
function open(key: Buffer, sealed: Buffer): string {
  if (sealed.length < IV_BYTES + TAG_BYTES) throw new Error('too short');
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
  decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
}

/** A stored key that neither derivation of TORNCAT_SECRET opens: another secret, or damaged bytes. */
export class KeyDecryptError extends Error {
  override name = 'KeyDecryptError';
}

/**
 * Encrypts members' Torn API keys at rest (AES-256-GCM) and gives each key a keyed digest (HMAC-SHA256),
 * so the same key can be found again without decrypting every row. Both keys come from TORNCAT_SECRET
 * through HKDF with distinct labels, so one never serves as the other.
 *
 * Ciphertexts are `0x01 ‖ IV(12) ‖ tag(16) ‖ body`. Rows written before HKDF (`IV ‖ tag ‖ body` under
 * sha256(label ‖ secret)) still decrypt, and `upgradeStoredKeys` rewrites them at start.
 */
export class KeyVault {
  #encKey: Buffer;
  #macKey: Buffer;
  #legacyEncKey: Buffer;
  #legacyMacKey: Buffer;

  constructor(secret: string) {
    this.#encKey = hkdf(secret, 'torncat/api-key-encryption/v1');
    this.#macKey = hkdf(secret, 'torncat/api-key-digest/v1');
    this.#legacyEncKey = legacyKey(secret, 'torncat/api-key-encryption');
    this.#legacyMacKey = legacyKey(secret, 'torncat/api-key-digest');
  }

  encrypt(apiKey: string): Buffer {
    return Buffer.concat([Buffer.of(V1), seal(this.#encKey, apiKey)]);
  }

  decrypt(stored: Uint8Array): string {
    return this.open(stored).apiKey;
  }

  /** The key, and whether it was stored the legacy way (and so wants rewriting). Throws KeyDecryptError. */
  open(stored: Uint8Array): { apiKey: string; legacy: boolean } {
    const buf = Buffer.from(stored);
    // A legacy IV starts with 0x01 one time in 256: the tag check, not the byte, decides which format it is.
    if (buf[0] === V1) {
      try {
        return { apiKey: open(this.#encKey, buf.subarray(1)), legacy: false };
      } catch {
        /* not ours: try the legacy format */
      }
    }
    try {
      return { apiKey: open(this.#legacyEncKey, buf), legacy: true };
    } catch (e) {
      const why = 'TORNCAT_SECRET differs from the one it was stored with, or the row is damaged';
      throw new KeyDecryptError(`A stored API key cannot be decrypted: ${why}`, { cause: e });
    }
  }

  /** The lookup digest `api_keys.key_digest` holds (sign-in upserts on it). */
  digest(apiKey: string): Buffer {
    return createHmac('sha256', this.#macKey).update(apiKey).digest();
  }

  /** The digest rows written before HKDF hold. */
  legacyDigest(apiKey: string): Buffer {
    return createHmac('sha256', this.#legacyMacKey).update(apiKey).digest();
  }
}
