import type { Http } from './http.js';

/** Plain fetch, where the page's CSP allows it (the board, relaxed pages); no cookies are ever sent. */
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
