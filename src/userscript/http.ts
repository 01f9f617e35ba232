/**
 * The userscript's way out of torn.com's CSP. The userscript manager's GM_xmlhttpRequest
 * (Tampermonkey, Violentmonkey; host listed in @connect) escapes it; TornPDA offers
 * PDA_httpGet/PDA_httpPost (whole answers only); plain fetch serves pages that allow it.
 */

export interface HttpAnswer {
  status: number;
  text: string;
}

export interface StreamHandle {
  /** Resolves when the stream ends (server closed it, error, or abort), with the HTTP status if known. */
  done: Promise<{ status: number; error?: string }>;
  abort(): void;
}

export interface Http {
  readonly name: 'gm' | 'pda' | 'fetch';
  request(method: string, url: string, headers: Record<string, string>, body?: string, signal?: AbortSignal): Promise<HttpAnswer>;
  /** Streams the response text as it arrives; absent where only whole answers exist (TornPDA). */
  stream?(url: string, headers: Record<string, string>, onText: (text: string) => void): StreamHandle;
}

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
type GmXhr = (details: GmDetails) => { abort(): void } | undefined;
type PdaGet = (url: string, headers?: Record<string, string>) => Promise<{ status: number; responseText: string }>;
type PdaPost = (url: string, headers: Record<string, string>, body: string) => Promise<{ status: number; responseText: string }>;

declare const GM_xmlhttpRequest: GmXhr | undefined;
declare const PDA_httpGet: PdaGet | undefined;
declare const PDA_httpPost: PdaPost | undefined;

function gmXhr(): GmXhr | undefined {
  return typeof GM_xmlhttpRequest === 'function' ? GM_xmlhttpRequest : undefined;
}

function abortError(): Error {
  const e = new Error('aborted');
  e.name = 'AbortError';
  return e;
}

/** The best HTTP the environment offers: GM_xmlhttpRequest, else TornPDA's, else fetch. */
export function detectHttp(): Http {
  const gm = gmXhr();
  if (gm) return gmHttp(gm);
  if (typeof PDA_httpGet === 'function' && typeof PDA_httpPost === 'function') return pdaHttp(PDA_httpGet, PDA_httpPost);
  return fetchHttp();
}

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

export function fetchHttp(): Http {
  return {
    name: 'fetch',
    async request(method, url, headers, body, signal) {
      const res = await fetch(url, { method, headers, body, signal, credentials: 'omit', cache: 'no-store' });
      return { status: res.status, text: await res.text() };
    },
    stream(url, headers, onText) {
      const ctl = new AbortController();
      const done = (async () => {
        let status = 0;
        try {
          const res = await fetch(url, { headers, signal: ctl.signal, credentials: 'omit', cache: 'no-store' });
          status = res.status;
          const reader = res.body?.getReader();
          const decoder = new TextDecoder();
          if (!reader) return { status };
          for (;;) {
            const { value, done: end } = await reader.read();
            if (end) break;
            onText(decoder.decode(value, { stream: true }));
          }
          return { status };
        } catch (e) {
          return { status, error: String(e) };
        }
      })();
      return { done, abort: () => ctl.abort() };
    },
  };
}
