import { abortError, type Http } from './http.js';

interface GmResponse {
  status: number;
  responseText?: string;
  response?: unknown;
  readyState?: number;
}

interface GmDetails {
  method: string;
  url: string;
  headers?: Record<string, string>;
  data?: string;
  responseType?: string;
  timeout?: number;
  onload?: (r: GmResponse) => void;
  onerror?: (r: GmResponse) => void;
  ontimeout?: (r: GmResponse) => void;
  onabort?: (r: GmResponse) => void;
  onprogress?: (r: GmResponse) => void;
  onloadstart?: (r: GmResponse) => void;
  onreadystatechange?: (r: GmResponse) => void;
}

export type GmXhr = (details: GmDetails) => { abort(): void } | undefined;

/** The userscript manager's GM_xmlhttpRequest: not bound by the page's CSP; streams where the manager can. */
export function gmHttp(gm: GmXhr): Http {
  return {
    name: 'gm',
    request(method, url, headers, body, signal) {
      return new Promise((resolve, reject) => {
        if (signal?.aborted) return reject(abortError());
        const req = gm({
          method,
          url,
          headers,
          data: body,
          timeout: 60_000,
          onload: (r) => resolve({ status: r.status, text: r.responseText ?? '' }),
          onerror: () => reject(new Error(`network error on ${method} ${url}`)),
          ontimeout: () => reject(new Error(`timeout on ${method} ${url}`)),
          onabort: () => reject(abortError()),
        });
        signal?.addEventListener('abort', () => {
          req?.abort();
          reject(abortError());
        });
      });
    },
    stream(url, headers, onText) {
      let resolveDone!: (v: { status: number; error?: string }) => void;
      const done = new Promise<{ status: number; error?: string }>((r) => (resolveDone = r));
      let status = 0;
      let seen = 0;
      let reading = false;
      let finished = false;
      const finish = (error?: string) => {
        if (finished) return;
        finished = true;
        resolveDone({ status, error });
      };
      const decoder = new TextDecoder();
      // Tampermonkey hands a ReadableStream (responseType "stream"); other managers grow responseText.
      const take = (r: GmResponse) => {
        if (r.status) status = r.status;
        const body = r.response as ReadableStream<Uint8Array> | undefined;
        if (!reading && body && typeof (body as ReadableStream).getReader === 'function') {
          reading = true;
          const reader = body.getReader();
          void (async () => {
            try {
              for (;;) {
                const { value, done: end } = await reader.read();
                if (end) break;
                if (value) onText(typeof value === 'string' ? value : decoder.decode(value, { stream: true }));
              }
              finish();
            } catch (e) {
              finish(String(e));
            }
          })();
          return;
        }
        if (!reading && typeof r.responseText === 'string' && r.responseText.length > seen) {
          onText(r.responseText.slice(seen));
          seen = r.responseText.length;
        }
      };
      const req = gm({
        method: 'GET',
        url,
        headers,
        responseType: 'stream',
        onloadstart: take,
        onreadystatechange: take,
        onprogress: take,
        onload: (r) => {
          take(r);
          if (!reading) finish();
        },
        onerror: () => finish('network error'),
        ontimeout: () => finish('timeout'),
        onabort: () => finish('aborted'),
      });
      return {
        done,
        abort() {
          req?.abort();
          finish('aborted');
        },
      };
    },
  };
}
