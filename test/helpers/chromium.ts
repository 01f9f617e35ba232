import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** The flags every test browser runs with: headless, no sandbox (containers), nothing phoning home. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The sizes pages are tested at: a phone's, and a desktop's (a test browser's own). */
export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 900 };

let found: Promise<string | null> | undefined;

/**
 * Where Chromium is: $CHROMIUM_PATH, else /usr/bin/chromium (Debian's package; .ci/run installs it),
 * else the @sparticuz/chromium devDependency. null when none is there, except under CI=true, where
 * a missing browser is an error: browser tests must fail there, never skip.
 */
export function findChromium(): Promise<string | null> {
  found ??= (async () => {
    const tried: string[] = [];
    const env = process.env.CHROMIUM_PATH;
    if (env) {
      if (existsSync(env)) return env;
      tried.push(`CHROMIUM_PATH=${env} (missing)`);
    }
    if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
    tried.push('/usr/bin/chromium (missing)');
    try {
      const mod = (await import('@sparticuz/chromium')) as { default: { executablePath(): Promise<string> } };
      const path = await mod.default.executablePath();
      if (path && existsSync(path)) return path;
      tried.push(`@sparticuz/chromium (gave ${path})`);
    } catch (e) {
      tried.push(`@sparticuz/chromium (${(e as Error).message.split('\n')[0]})`);
    }
    if (process.env.CI) throw new Error(`CI=true but no Chromium found; tried ${tried.join(', ')}`);
    console.warn(`browser tests skipped: no Chromium (tried ${tried.join(', ')}); set CHROMIUM_PATH`);
    return null;
  })();
  return found;
}

/** Why browser tests are skipped, or false when a Chromium is there (throws under CI when it is not). */
export async function chromiumSkipReason(): Promise<string | false> {
  return (await findChromium()) ? false : 'no Chromium: set CHROMIUM_PATH or install chromium (.ci/run does)';
}

export interface TestBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** A fresh Chromium with its own user-data-dir, closed (and the dir removed) by close(). */
export async function launchChromium(options: { viewport?: { width: number; height: number } } = {}): Promise<TestBrowser> {
  const executablePath = await findChromium();
  if (!executablePath) throw new Error('no Chromium');
  const dir = mkdtempSync(join(tmpdir(), 'torncat-chromium-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: options.viewport ?? DESKTOP,
  });
  return {
    context,
    async close() {
      await context.close().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** $SCREENSHOT_DIR, created, where browser tests keep their screenshots when it is set; undefined otherwise. */
export function screenshotDir(): string | undefined {
  const dir = process.env.SCREENSHOT_DIR;
  if (dir) mkdirSync(dir, { recursive: true });
  return dir;
}
