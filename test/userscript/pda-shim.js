// The in-page half of the TornPDA stand-in (see torn-pda.ts): what TornPDA injects into every page
// before its userscripts, as its public source shows it (Manuito83/torn-pda at efaa8f1, 2026-08-14;
// written here in our own words):
// - lib/utils/js_snippets/remote_snippets.dart: PDA_httpGet(url, headers) / PDA_httpPost(url, headers,
//   body) over the app's bridge, each dropping a call identical to one made less than 2 s before and
//   resolving it `undefined` (GET keyed on the URL, POST on URL + headers + body). No timeout, no abort;
//   a network error in the app rejects the promise.
// - lib/utils/js_snippets/js_handlers.dart (handler_GM, "GMforPDA"): a GM layer on every page, whose
//   GM_notification is a blocking confirm() dialog, GM_getValue/GM_setValue over localStorage
//   ("GMV2_" + JSON), GM_xmlhttpRequest over PDA_httpGet/PDA_httpPost.
// - docs/webview/toast-handler.md, notification-handlers.md: the app's showToast and
//   scheduleNotification handlers, reached with flutter_inappwebview.callHandler.
// An expression: a function of the window it equips (the page's, or a plain object in Node tests).
// eslint-disable-next-line @typescript-eslint/no-unused-expressions
(w) => {
  w.flutter_inappwebview = w.flutter_inappwebview || {
    _platformReady: true,
    callHandler: (name, ...args) => w.__pdaHandler(name, args),
  };
  w.__pdaDropped = [];
  const recent = {};
  const dedup = (kind, key) => {
    const now = Date.now();
    const k = `${kind} ${key}`;
    if (recent[k] && now - recent[k] < 2000) {
      w.__pdaDropped.push(k);
      return true;
    }
    recent[k] = now;
    return false;
  };
  w.PDA_httpGet = async (url, headers) => {
    headers = headers || {};
    if (dedup('GET', url)) return undefined;
    return w.flutter_inappwebview.callHandler('PDA_httpGet', url, headers);
  };
  w.PDA_httpPost = async (url, headers, body) => {
    if (dedup('POST', `${url}+${JSON.stringify(headers)}+${body}`)) return undefined;
    return w.flutter_inappwebview.callHandler('PDA_httpPost', url, headers, body);
  };
  if ('GM' in w) return;
  w.__pdaConfirms = [];
  const get = (k, def) => {
    const v = w.localStorage ? w.localStorage.getItem(k) : null;
    if (typeof v !== 'string') return def;
    if (!v.startsWith('GMV2_')) return v;
    try {
      return JSON.parse(v.slice(5)) ?? def;
    } catch {
      return def;
    }
  };
  const set = (k, v) => {
    const s = JSON.stringify(v);
    if (s === undefined) w.localStorage?.removeItem(k);
    else w.localStorage?.setItem(k, 'GMV2_' + s);
  };
  const notify = (...a) => {
    const [text, title, onclick] = typeof a[0] === 'object' ? [a[0].text, a[0].title, a[0].onclick] : [a[0], a[1], a[3]];
    if (!text) throw new TypeError('No notification text supplied to GM_notification');
    w.__pdaConfirms.push({ title, text });
    if (w.confirm(`${title ?? 'No title specified'}\n${text}`)) onclick?.();
    return { remove: () => {} };
  };
  const xhr = (d) => {
    const method = (d.method || 'GET').toLowerCase();
    const p = method === 'post' ? w.PDA_httpPost(d.url, d.headers ?? {}, d.data ?? '') : w.PDA_httpGet(d.url, d.headers ?? {});
    p.then((r) => d.onload?.(r)).catch((e) => d.onerror?.(e));
    return { abort: () => {} };
  };
  const api = {
    GM_getValue: get,
    GM_setValue: set,
    GM_deleteValue: (k) => w.localStorage?.removeItem(k),
    GM_notification: notify,
    GM_xmlhttpRequest: xhr,
    GM: Object.freeze({ notification: notify, getValue: async (k, d) => get(k, d), setValue: async (k, v) => set(k, v) }),
  };
  for (const [k, v] of Object.entries(api))
    Object.defineProperty(w, k, { value: v, writable: false, enumerable: true, configurable: false });
};
