import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { KeyDecryptError, KeyVault } from '../../src/auth/key-vault.js';
import { upgradeStoredKeys } from '../../src/auth/keys.js';
import { signIn } from '../../src/auth/sign-in.js';
import type { Database } from '../../src/db/database.js';
import type { TornClient } from '../../src/torn/index.js';
import { backends } from '../helpers/databases.js';

const SECRET = 'vault-test-secret-0123456789abcdef-0123';
const KEY = 'abcdEFGH12345678';

/** What the vault wrote before HKDF: sha256(label NUL secret) keys, `IV ‖ tag ‖ body`. */
const legacy = {
  key: (label: string, secret = SECRET) =>
    createHash('sha256')
      .update(label + '\0' + secret)
      .digest(),
  encrypt(apiKey: string, iv = randomBytes(12), secret = SECRET): Buffer {
    const cipher = createCipheriv('aes-256-gcm', legacy.key('torncat/api-key-encryption', secret), iv);
    const body = Buffer.concat([cipher.update(apiKey, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]);
  },
  digest: (apiKey: string, secret = SECRET) => createHmac('sha256', legacy.key('torncat/api-key-digest', secret)).update(apiKey).digest(),
};

const flip = (b: Buffer, i: number) => {
  const c = Buffer.from(b);
  c[i] ^= 0x01;
  return c;
};

describe('KeyVault', () => {
  const vault = new KeyVault(SECRET);

  test('a key encrypted with the current format decrypts to itself, under a fresh IV each time', () => {
    const a = vault.encrypt(KEY);
    const b = vault.encrypt(KEY);
    assert.equal(a[0], 0x01, 'version byte');
    assert.equal(a.length, 1 + 12 + 16 + KEY.length);
    assert.notDeepEqual(a, b);
    assert.equal(vault.decrypt(a), KEY);
    assert.deepEqual(vault.open(b), { apiKey: KEY, legacy: false });
  });

  test('a ciphertext written by the old derivation still decrypts, and says it is legacy', () => {
    const old = legacy.encrypt(KEY);
    assert.equal(vault.decrypt(old), KEY);
    assert.deepEqual(vault.open(old), { apiKey: KEY, legacy: true });
  });

  test('a legacy ciphertext whose IV happens to begin with the version byte still decrypts', () => {
    const iv = randomBytes(12);
    iv[0] = 0x01;
    assert.deepEqual(vault.open(legacy.encrypt(KEY, iv)), { apiKey: KEY, legacy: true });
  });

  test('a tampered ciphertext fails in every part: version, IV, tag, body', () => {
    const current = vault.encrypt(KEY);
    for (const i of [0, 1, 13, 29, current.length - 1]) {
      assert.throws(() => vault.decrypt(flip(current, i)), KeyDecryptError, `byte ${i}`);
    }
    const old = legacy.encrypt(KEY);
    for (const i of [0, 12, 28, old.length - 1]) {
      assert.throws(() => vault.decrypt(flip(old, i)), KeyDecryptError, `legacy byte ${i}`);
    }
    assert.throws(() => vault.decrypt(current.subarray(0, 20)), KeyDecryptError, 'truncated');
    assert.throws(() => vault.decrypt(Buffer.alloc(0)), KeyDecryptError, 'empty');
  });

  test('another secret opens neither format', () => {
    const other = new KeyVault('another-secret-0123456789abcdef-0123456');
    assert.throws(() => other.decrypt(vault.encrypt(KEY)), KeyDecryptError);
    assert.throws(() => other.decrypt(legacy.encrypt(KEY)), KeyDecryptError);
  });

  test('the digest is stable for a key, differs per key and per secret, and is not the legacy digest', () => {
    assert.deepEqual(vault.digest(KEY), new KeyVault(SECRET).digest(KEY));
    assert.notDeepEqual(vault.digest(KEY), vault.digest('abcdEFGH12345679'));
    assert.notDeepEqual(vault.digest(KEY), new KeyVault('another-secret-0123456789abcdef-0123456').digest(KEY));
    assert.notDeepEqual(vault.digest(KEY), legacy.digest(KEY));
    assert.deepEqual(vault.legacyDigest(KEY), legacy.digest(KEY));
  });

  test('the stored format is pinned: HKDF-SHA256 of the secret, one label for encryption and another for the digest', () => {
    // Rows outlive releases: a change here would orphan every stored key.
    const derive = (info: string) => Buffer.from(hkdfSync('sha256', SECRET, 'torncat/key-vault', info, 32));
    const encKey = derive('torncat/api-key-encryption/v1');
    const macKey = derive('torncat/api-key-digest/v1');
    assert.notDeepEqual(encKey, macKey);
    assert.deepEqual(vault.digest(KEY), createHmac('sha256', macKey).update(KEY).digest());
    const sealed = vault.encrypt(KEY);
    const decipher = createDecipheriv('aes-256-gcm', encKey, sealed.subarray(1, 13));
    decipher.setAuthTag(sealed.subarray(13, 29));
    assert.equal(Buffer.concat([decipher.update(sealed.subarray(29)), decipher.final()]).toString('utf8'), KEY);
  });
});

for (const backend of await backends())
  describe(`upgradeStoredKeys on ${backend.name}`, () => {
    let db: Database;
    let close: () => Promise<void>;
    const vault = new KeyVault(SECRET);
    const key = (n: number) => `upgradeKey${String(n).padStart(6, '0')}`;

    before(async () => {
      ({ db, close } = await backend.open());
      await db.query(`insert into factions (id, name) values (1, 'F')`);
      await db.query(
        `insert into players (id, name, level, faction_id) values (11, 'A', 1, 1), (12, 'B', 1, 1), (13, 'C', 1, 1), (14, 'D', 1, 1), (15, 'E', 1, 1), (16, 'F', 1, 1)`,
      );
    });
    after(() => close());

    const rowsOf = (playerId: number) =>
      db.query<{ id: string; key_digest: Uint8Array; key_ciphertext: Uint8Array; state: string }>(
        'select id, key_digest, key_ciphertext, state from api_keys where player_id = $1 order by id',
        [playerId],
      );

    test('legacy rows are rewritten with the HKDF digest and ciphertext; a second run changes nothing', async () => {
      await db.query(`insert into api_keys (player_id, key_digest, key_ciphertext) values ($1, $2, $3)`, [
        11,
        legacy.digest(key(1)),
        legacy.encrypt(key(1)),
      ]);
      await db.query(`insert into api_keys (player_id, key_digest, key_ciphertext) values ($1, $2, $3)`, [
        12,
        vault.digest(key(2)),
        vault.encrypt(key(2)),
      ]);
      const before = (await rowsOf(12)).rows[0];

      const first = await upgradeStoredKeys(db, vault);
      assert.deepEqual(first, { upgraded: 1, merged: 0, unreadable: 0 });
      const [row] = (await rowsOf(11)).rows;
      assert.deepEqual(Buffer.from(row.key_digest), vault.digest(key(1)));
      assert.deepEqual(vault.open(row.key_ciphertext), { apiKey: key(1), legacy: false });
      assert.deepEqual((await rowsOf(12)).rows[0], before, 'a current row is left alone');

      assert.deepEqual(await upgradeStoredKeys(db, vault), { upgraded: 0, merged: 0, unreadable: 0 });
    });

    test('after the upgrade, signing the same key in again updates its row instead of adding one', async () => {
      const torn = {
        identify: async () => ({
          player: { id: 11, name: 'A', level: 1 },
          faction: { id: 1, name: 'F' },
          access: { level: 1, type: 'Public Only' },
        }),
      } as unknown as TornClient;
      await db.query(`update api_keys set state = 'disabled' where player_id = 11`);
      await signIn({ db, torn, vault, sessionTtlMs: 60_000 }, key(1));
      const rows = (await rowsOf(11)).rows;
      assert.equal(rows.length, 1);
      assert.equal(rows[0].state, 'active');
    });

    test('a legacy row and a current row of the same key become one, the more recently updated', async () => {
      // What a node still on the old code leaves behind when it signs a key in during a rolling deploy.
      await db.query(
        `insert into api_keys (player_id, key_digest, key_ciphertext, state, updated_at) values ($1, $2, $3, 'disabled', now() - interval '1 hour')`,
        [13, vault.digest(key(3)), vault.encrypt(key(3))],
      );
      await db.query(`insert into api_keys (player_id, key_digest, key_ciphertext, state) values ($1, $2, $3, 'active')`, [
        13,
        legacy.digest(key(3)),
        legacy.encrypt(key(3)),
      ]);
      assert.deepEqual(await upgradeStoredKeys(db, vault), { upgraded: 1, merged: 1, unreadable: 0 });
      const rows = (await rowsOf(13)).rows;
      assert.equal(rows.length, 1);
      assert.equal(rows[0].state, 'active', 'the newer (legacy) row won, now in the current format');
      assert.deepEqual(Buffer.from(rows[0].key_digest), vault.digest(key(3)));
    });

    test('a legacy row older than the current row of the same key is dropped', async () => {
      await db.query(
        `insert into api_keys (player_id, key_digest, key_ciphertext, state, updated_at) values ($1, $2, $3, 'disabled', now() - interval '1 hour')`,
        [15, legacy.digest(key(5)), legacy.encrypt(key(5))],
      );
      await db.query(`insert into api_keys (player_id, key_digest, key_ciphertext, state) values ($1, $2, $3, 'active')`, [
        15,
        vault.digest(key(5)),
        vault.encrypt(key(5)),
      ]);
      assert.deepEqual(await upgradeStoredKeys(db, vault), { upgraded: 0, merged: 1, unreadable: 0 });
      const rows = (await rowsOf(15)).rows;
      assert.equal(rows.length, 1);
      assert.equal(rows[0].state, 'active');
      assert.deepEqual(vault.open(rows[0].key_ciphertext), { apiKey: key(5), legacy: false });
    });

    test('two nodes upgrading at once rewrite each row once and lose none', async () => {
      for (let n = 100; n < 120; n++) {
        await db.query(`insert into api_keys (player_id, key_digest, key_ciphertext) values ($1, $2, $3)`, [
          16,
          legacy.digest(key(n)),
          legacy.encrypt(key(n)),
        ]);
      }
      const [a, b] = await Promise.all([upgradeStoredKeys(db, vault), upgradeStoredKeys(db, vault)]);
      assert.equal(a.upgraded + b.upgraded, 20);
      assert.equal(a.merged + b.merged, 0);
      const rows = (await rowsOf(16)).rows;
      assert.equal(rows.length, 20);
      for (const row of rows) {
        const { apiKey, legacy: old } = vault.open(row.key_ciphertext);
        assert.equal(old, false);
        assert.deepEqual(Buffer.from(row.key_digest), vault.digest(apiKey));
      }
    });

    test('a row no derivation of the secret opens is counted and left as it is', async () => {
      const foreign = legacy.encrypt(key(4), undefined, 'a-different-secret-0123456789abcdef-012');
      await db.query(`insert into api_keys (player_id, key_digest, key_ciphertext) values ($1, $2, $3)`, [14, randomBytes(32), foreign]);
      assert.deepEqual(await upgradeStoredKeys(db, vault), { upgraded: 0, merged: 0, unreadable: 1 });
      assert.deepEqual(Buffer.from((await rowsOf(14)).rows[0].key_ciphertext), foreign);
    });
  });
