import type { Page } from 'playwright-core';
import { demoKey } from '../helpers/war-fixture.js';

/** Pushes the page's uncaught errors and console errors (CSP violations and failed loads among them) to `errors`. */
export function recordPageErrors(page: Page, errors: string[]): void {
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
}

/** Signs in through the board's key field, as a member does the first time. */
export async function signInOnBoard(page: Page, playerId: number): Promise<void> {
  await page.getByLabel(/Torn API key/).fill(demoKey(playerId));
  await page.getByRole('button', { name: 'Sign in' }).click();
}
