import { abortError, type Http } from './http.js';

export type PdaGet = (url: string, headers?: Record<string, string>) => Promise<{ status: number; responseText: string }>;
export type PdaPost = (url: string, headers: Record<string, string>, body: string) => Promise<{ status: number; responseText: string }>;

/**
 * TornPDA's PDA_httpGet(url, headers)/PDA_httpPost(url, headers, body) (userscripts/TornPDA_API.js in
 * Manuito83/torn-pda: promises of {status, statusText, responseText, responseHeaders}): whole answers
 * only, so no stream; the long-poll and polling rungs run over it.
 */
export function pdaHttp(get: PdaGet, post: PdaPost): Http {
  return {
    name: 'pda',
    async request(method, url, headers, body, signal) {
      if (signal?.aborted) throw abortError();
      // TornPDA cannot abort a request: an aborted caller just stops waiting for it.
      const answer = method === 'GET' ? get(url, headers) : post(url, headers, body ?? '');
      const r = await (signal
        ? Promise.race([answer, new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(abortError())))])
        : answer);
      return { status: r.status, text: r.responseText ?? '' };
    },
  };
}
