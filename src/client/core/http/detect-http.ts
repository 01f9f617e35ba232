import { fetchHttp } from './fetch-http.js';
import { gmHttp, type GmXhr } from './gm-http.js';
import type { Http } from './http.js';
import { pdaHttp, type PdaGet, type PdaPost } from './pda-http.js';

declare const GM_xmlhttpRequest: GmXhr | undefined;
declare const PDA_httpGet: PdaGet | undefined;
declare const PDA_httpPost: PdaPost | undefined;

/**
 * The best HTTP the environment offers: TornPDA's first, else GM_xmlhttpRequest, else fetch. TornPDA
 * comes first because GM layers for it (GMforPDA and the like) map GM_xmlhttpRequest onto
 * PDA_httpGet(url) without our headers; PDA_httpGet(url, headers) itself carries them.
 */
export function detectHttp(): Http {
  if (typeof PDA_httpGet === 'function' && typeof PDA_httpPost === 'function') return pdaHttp(PDA_httpGet, PDA_httpPost);
  if (typeof GM_xmlhttpRequest === 'function') return gmHttp(GM_xmlhttpRequest);
  return fetchHttp();
}
