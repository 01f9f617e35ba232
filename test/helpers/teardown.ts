import { after } from 'node:test';

interface Closable {
  close(): Promise<void> | void;
}

/**
 * Registers one `after` hook (call it inside the describe, or at the top of a file) that closes every
 * resource handed to the returned function, last opened first: the fixtures, Torn pages and browsers
 * a before-block starts. What a half-failed before-block did open is closed too. Each is closed even
 * when an earlier one throws; the first error fails the hook.
 */
export function teardown(): <T extends Closable>(resource: T) => T {
  const open: Closable[] = [];
  after(async () => {
    let failure: unknown;
    for (const r of open.splice(0).reverse()) {
      try {
        await r.close();
      } catch (e) {
        failure ??= e;
      }
    }
    if (failure !== undefined) throw failure;
  });
  return (resource) => {
    open.push(resource);
    return resource;
  };
}
