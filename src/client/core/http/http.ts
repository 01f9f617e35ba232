/**
 * How the clients reach the TornCat server. On torn.com the page's CSP blocks direct connections:
 * the userscript manager's GM_xmlhttpRequest (Tampermonkey, Violentmonkey; host listed in @connect)
 * escapes it; TornPDA offers PDA_httpGet/PDA_httpPost (whole answers only); plain fetch serves the
 * board and pages that allow it. `detectHttp()` picks one.
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

/** The error fetch rejects with on abort, for the Https that have no fetch underneath. */
export function abortError(): Error {
  const e = new Error('aborted');
  e.name = 'AbortError';
  return e;
}
