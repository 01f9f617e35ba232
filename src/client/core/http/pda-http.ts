import { sleep } from '../sleep.js';
import { abortError, type Http } from './http.js';

/** What TornPDA's handlers resolve with: the answer, or `undefined` for a call it dropped as a duplicate. */
export type PdaAnswer = { status: number; responseText?: string } | undefined;
export type PdaGet = (url: string, headers?: Record<string, string>) => Promise<PdaAnswer>;
export type PdaPost = (url: string, headers: Record<string, string>, body: string) => Promise<PdaAnswer>;

/**
 * TornPDA drops a call identical to one made less than this long ago and resolves it `undefined`
 * (lib/utils/js_snippets/remote_snippets.dart in Manuito83/torn-pda, 2026-07-25: GET keyed on the
 * URL, POST on the URL, the headers and the body).
 */
const PDA_DEDUP_MS = 2000;

/**
 * TornPDA's requests have no timeout and cannot be aborted (its handlers in
 * lib/utils/webview/webview_handlers.dart call `http.get`/`http.post` bare): past this, ours stop
 * waiting and count the request as failed. Above the long-poll's 25 s hold.
 */
const PDA_TIMEOUT_MS = 40_000;

/**
 * TornPDA's PDA_httpGet(url, headers)/PDA_httpPost(url, headers, body): whole answers only, so no
 * stream; the long-poll and polling rungs run over it. No request is lost to PDA's de-duplication:
 * every POST carries a serial header, so none is identical to another (call, release, call within
 * 2 s are three requests); a GET of a URL read less than 2 s ago waits out the rest of the window;
 * and an `undefined` answer (dropped all the same, say by another copy of the script) is taken as
 * "not sent" and sent again once the window has passed, within the timeout.
 */
export function pdaHttp(get: PdaGet, post: PdaPost, options: { timeoutMs?: number } = {}): Http {
  const timeoutMs = options.timeoutMs ?? PDA_TIMEOUT_MS;
  let serial = 0;
  const lastGet = new Map<string, number>();
  return {
    name: 'pda',
    async request(method, url, headers, body, signal) {
      if (signal?.aborted) throw abortError();
      const deadline = Date.now() + timeoutMs;
      const sendHeaders = method === 'GET' ? headers : { ...headers, 'x-torncat-request': `${Date.now().toString(36)}-${++serial}` };
      for (;;) {
        if (method === 'GET') {
          const wait = (lastGet.get(url) ?? -Infinity) + PDA_DEDUP_MS + 20 - Date.now();
          if (wait > 0) await sleep(wait, signal);
          if (signal?.aborted) throw abortError();
          lastGet.set(url, Date.now());
          for (const [u, at] of lastGet) if (Date.now() - at > PDA_DEDUP_MS) lastGet.delete(u);
        }
        if (Date.now() >= deadline) throw new Error(`timeout on ${method} ${url}`);
        const sent = Date.now();
        const answer = await within(
          method === 'GET' ? get(url, sendHeaders) : post(url, sendHeaders, body ?? ''),
          deadline,
          signal,
          `${method} ${url}`,
        );
        if (answer) return { status: answer.status, text: answer.responseText ?? '' };
        // Dropped as a duplicate: nothing was sent. Again once PDA's window for it is over.
        await sleep(Math.max(0, sent + PDA_DEDUP_MS + 20 - Date.now()), signal);
        if (signal?.aborted) throw abortError();
      }
    },
  };
}

/** The answer, unless the deadline passes or the caller aborts first (PDA's request itself runs on, unread). */
function within<T>(answer: Promise<T>, deadline: number, signal: AbortSignal | undefined, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timeout on ${what}`)), Math.max(0, deadline - Date.now()));
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    answer.then(
      (v) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
