import { fetchHttp } from './fetch-http.js';
import { gmHttp, type GmXhr } from './gm-http.js';
import type { Http } from './http.js';
import { pdaHttp, type PdaGet, type PdaPost } from './pda-http.js';

declare const GM_xmlhttpRequest: GmXhr | undefined;
declare const PDA_httpGet: PdaGet | undefined;
declare const PDA_httpPost: PdaPost | undefined;

/** The best HTTP the environment offers: GM_xmlhttpRequest, else TornPDA's, else fetch. */
export function detectHttp(): Http {
  if (typeof GM_xmlhttpRequest === 'function') return gmHttp(GM_xmlhttpRequest);
  if (typeof PDA_httpGet === 'function' && typeof PDA_httpPost === 'function') return pdaHttp(PDA_httpGet, PDA_httpPost);
  return fetchHttp();
}
