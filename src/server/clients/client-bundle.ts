import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** The browser code the server serves: the dashboard's script, the userscripts' body, and the standalone EdgeFunctionCache. */
export type ClientName = 'dashboard' | 'userscript' | 'edge-function-cache';

/** Entry points in src/client/ (the browser code), relative to this file (src/server/clients/ under tsx, dist/server/clients/ once built). */
const ENTRIES: Record<ClientName, string> = {
  dashboard: '../../client/dashboard/main',
  userscript: '../../client/userscript/main',
  'edge-function-cache': '../../client/core/edge-function-cache',
};

/**
 * The standalone EdgeFunctionCache (GET /EdgeFunctionCache.js, for other scripts' @require): a global
 * `EdgeFunctionCache`, the class itself. package.json's `build` script passes the same options.
 */
const GLOBALS: Partial<Record<ClientName, { globalName: string; footer: { js: string } }>> = {
  'edge-function-cache': {
    globalName: 'EdgeFunctionCache',
    footer: { js: 'EdgeFunctionCache = EdgeFunctionCache.EdgeFunctionCache;' },
  },
};

const bundles = new Map<ClientName, Promise<string>>();

/**
 * The plain-JS IIFE of a client. `npm run build` writes them to dist/client/ with esbuild (see the
 * `build` script), so production needs no bundler; run from the sources (tsx, tests) they are
 * bundled here once, on first use, with esbuild (a devDependency).
 */
export function clientBundle(name: ClientName): Promise<string> {
  let p = bundles.get(name);
  if (!p) {
    p = load(name);
    bundles.set(name, p);
    p.catch(() => bundles.delete(name));
  }
  return p;
}

async function load(name: ClientName): Promise<string> {
  // dist/client/<name>.js once built; from the sources this names src/client/<name>.js, which never
  // exists (each client is a folder there), so tsx and the tests always bundle the current sources.
  const built = fileURLToPath(new URL(`../../client/${name}.js`, import.meta.url));
  if (existsSync(built)) return readFile(built, 'utf8');
  const base = fileURLToPath(new URL(ENTRIES[name], import.meta.url));
  const entry = [`${base}.ts`, `${base}.js`].find((f) => existsSync(f));
  if (!entry) throw new Error(`no built client ${built} and no source for ${name}: run npm run build`);
  let esbuild: typeof import('esbuild');
  try {
    esbuild = await import('esbuild');
  } catch (e) {
    throw new Error(`the ${name} client is not built (${built} is missing) and esbuild is not installed: run npm run build`, { cause: e });
  }
  const out = await esbuild.build({ ...CLIENT_BUILD_OPTIONS, ...GLOBALS[name], entryPoints: [entry], write: false });
  return out.outputFiles[0].text;
}

/**
 * The esbuild options of every client bundle; package.json's `build` script passes the same on the
 * command line. ASCII output: TornPDA turns every curly quote in a script's text into an ASCII one
 * before running it, which breaks a string that holds one; escaped (\u201C) it survives.
 */
const CLIENT_BUILD_OPTIONS = {
  bundle: true,
  format: 'iife',
  target: 'es2022',
  charset: 'ascii',
  legalComments: 'none',
  logLevel: 'warning',
} as const;
