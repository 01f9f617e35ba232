// On the embedded database without TORNCAT_SECRET, the secret that encrypts stored API keys is kept
// beside the data it protects (`<data dir>/secret`), so a restart can still decrypt them.
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The secret file cannot be read, written, or holds too short a secret; the message says what to do. */
export class SecretFileError extends Error {
  override name = 'SecretFileError';
}

/**
 * The secret of `<dataDir>/secret`, generated on the first start. A file holding fewer than
 * `minLength` characters is refused, never replaced: keys encrypted with it would be lost.
 */
export function dataDirSecret(dataDir: string, minLength: number): string {
  const file = join(dataDir, 'secret');
  let stored: string | undefined;
  try {
    stored = readFileSync(file, 'utf8').trim();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new SecretFileError(`TORNCAT_SECRET: cannot read the generated secret ${file}: ${(e as Error).message}`);
    }
  }
  if (stored !== undefined) {
    // A blank or cut file would make the encryption key a value anyone can compute: never use it.
    if (stored.length < minLength) {
      throw new SecretFileError(
        `TORNCAT_SECRET: the generated secret ${file} is ${stored.length === 0 ? 'empty' : `only ${stored.length} characters`}; restore it from a backup, or delete it and sign in again (stored keys cannot be decrypted without it), or set TORNCAT_SECRET`,
      );
    }
    return stored;
  }
  const generated = randomBytes(32).toString('hex');
  // Written whole or not at all: a crash mid-write must not leave a blank secret behind.
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    mkdirSync(dataDir, { recursive: true });
    const fd = openSync(tmp, 'wx', 0o600);
    try {
      writeFileSync(fd, generated + '\n');
      // On disk before the name points at it, or a power cut can leave the name on an empty file.
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    try {
      // Unlike rename, link refuses to replace: of two first starts at once, both end up with the one secret that won.
      linkSync(tmp, file);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return dataDirSecret(dataDir, minLength);
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS') throw e;
      renameSync(tmp, file); // a file system without hard links
    }
  } catch (e) {
    if (e instanceof SecretFileError) throw e;
    throw new SecretFileError(
      `TORNCAT_SECRET: cannot write the generated secret ${file}: ${(e as Error).message} (check TORNCAT_DATA_DIR)`,
    );
  } finally {
    rmSync(tmp, { force: true });
  }
  return generated;
}
