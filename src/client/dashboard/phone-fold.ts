/** Where the board is laid out for a phone (the page's CSS uses the same width). */
export const PHONE_QUERY = '(max-width: 640px)';

/**
 * During a war a member on a phone needs the targets and their buttons first: there the war's other
 * panels (chain, counters, next out, calls, assists, alert settings) stay folded in their <details>
 * until opened. On a wider screen it is open, and its summary hidden, so nothing folds.
 */
export function foldOnPhones(details: HTMLDetailsElement): void {
  const phone = matchMedia(PHONE_QUERY);
  const apply = () => {
    details.open = !phone.matches;
  };
  apply();
  phone.addEventListener('change', apply);
}
