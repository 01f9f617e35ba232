import { readFile } from 'node:fs/promises';

/**
 * The pictures the install page shows of the userscript once installed, taken in Chromium by
 * test/userscript/install-screenshots.test.ts and kept in docs/screenshots/ (the members' guide shows
 * them too). Read from the repository's root, which is three folders up from src/ and dist/ alike.
 */
export const SCREENSHOTS = {
  panel: { file: 'panel.png', alt: "The TornCat panel on a torn.com page: the war's score, the transport, the targets with their calls" },
  'torn-war-rows': { file: 'torn-war-rows.png', alt: "Torn's ranked-war member list with TornCat's call state and Call/Release button in each enemy row" },
} as const;

export type ScreenshotName = keyof typeof SCREENSHOTS;

const DIR = new URL('../../../docs/screenshots/', import.meta.url);

export function isScreenshot(name: string): name is ScreenshotName {
  return Object.hasOwn(SCREENSHOTS, name);
}

/** The PNG's bytes, or null when the file is not there (a package built without the docs). */
export async function screenshot(name: ScreenshotName): Promise<Uint8Array<ArrayBuffer> | null> {
  return readFile(new URL(SCREENSHOTS[name].file, DIR)).then(
    (b) => new Uint8Array(b),
    () => null,
  );
}
