import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import type { Database } from '../db/database.js';

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

export interface KeyUpgrade {
  /** Rows rewritten with the HKDF ciphertext and digest. */
  upgraded: number;
  /** Legacy rows dropped because the same key also had a current row (the more recently updated one is kept). */
  merged: number;
  /** Rows neither derivation opens (another TORNCAT_SECRET?): left as they are. */
  unreadable: number;
}

interface KeyRow {
  id: string | number | bigint;
  key_digest: Uint8Array;
  key_ciphertext: Uint8Array;
  updated_at: Date;
}

/**
 * Rewrites `api_keys` rows stored before HKDF with the current ciphertext and digest. Run it at start,
 * before serving sign-ins: sign-in upserts on `key_digest`, so a key whose row still had the legacy
 * digest would otherwise get a second row when its owner signs in again. Idempotent, and safe with
 * several nodes starting at once (each row is re-checked under a row lock).
 */
export async function upgradeStoredKeys(db: Database, vault: KeyVault): Promise<KeyUpgrade> {
  const result: KeyUpgrade = { upgraded: 0, merged: 0, unreadable: 0 };
  const stale = (row: KeyRow): { apiKey: string; digest: Buffer } | null => {
    const { apiKey, legacy } = vault.open(row.key_ciphertext);
    const digest = vault.digest(apiKey);
    return legacy || !digest.equals(Buffer.from(row.key_digest)) ? { apiKey, digest } : null;
  };

  const { rows } = await db.query<KeyRow>('select id, key_digest, key_ciphertext, updated_at from api_keys order by id');
  for (const candidate of rows) {
    let found;
    try {
      found = stale(candidate);
    } catch (e) {
      if (!(e instanceof KeyDecryptError)) throw e;
      result.unreadable++;
      continue;
    }
    if (!found) continue;
    const { apiKey, digest } = found;
    await db.transaction(async (tx) => {
      // Re-read under lock: another node may have upgraded this row meanwhile, or (running the old code
      // during a rolling deploy) signed the same key in again as a second row.
      const locked = await tx.query<KeyRow>(
        'select id, key_digest, key_ciphertext, updated_at from api_keys where id = $1 or key_digest = $2 order by id for update',
        [candidate.id, digest],
      );
      const row = locked.rows.find((r) => String(r.id) === String(candidate.id));
      if (!row || !stale(row)) return;
      const twin = locked.rows.find((r) => String(r.id) !== String(candidate.id));
      if (twin && twin.updated_at.getTime() >= row.updated_at.getTime()) {
        await tx.query('delete from api_keys where id = $1', [row.id]);
        result.merged++;
        return;
      }
      if (twin) {
        await tx.query('delete from api_keys where id = $1', [twin.id]);
        result.merged++;
      }
      // updated_at is left alone: it records the key's own history, not this re-encryption.
      await tx.query('update api_keys set key_digest = $2, key_ciphertext = $3 where id = $1', [row.id, digest, vault.encrypt(apiKey)]);
      result.upgraded++;
    });
  }
  return result;
}
